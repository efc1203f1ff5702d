using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// The CLI builds only the command a run names (a faster start): every command listed in the root
/// help (all built) must still be found, under the same name, when it is the only one built.
/// </summary>
public class CommandTableTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_command_in_the_root_help_is_built_when_named()
    {
        var (code, stdout, _) = await CliProcess.RunAsync(Exit, "--help");
        Assert.Equal(0, code);
        string[] names = Regex.Match(stdout, @"Commands:\n(?<list>(  \S.*\n?)+)").Groups["list"].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(' ')[0])
            .ToArray();
        Assert.Equal(["server", "client", "udp", "replay", "expect", "ui", "oled", "bench", "checksum", "send-list", "board", "serial", "relay", "bridge"], names);

        foreach (string name in names)
        {
            var (helpCode, help, stderr) = await CliProcess.RunAsync(Exit, name, "--help");
            Assert.True(helpCode == 0, $"'{name} --help' exited {helpCode}: {stderr}");
            Assert.Contains($"{CliProcess.HelpName} {name}", help);
        }
    }
}
