using System.Net.Sockets;
using System.Text;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>'client -i' in a real terminal (tmux, 80x24): keys edit the line, only entered lines reach the peer,
/// and what arrives prints above the prompt without tearing the half-typed line.</summary>
public sealed class LineEditingTests : IDisposable
{
    private TmuxTerminal? _terminal;

    [Fact]
    public async Task Keys_edit_the_line_and_only_entered_lines_are_sent()
    {
        using Socket listener = RawPeer.Listen();
        _terminal = await TmuxTerminal.StartAsync($"{CliProcess.ShellCommand} client 127.0.0.1 {RawPeer.PortOf(listener)} -i --no-echo --eol lf; echo EXIT=$?; sleep 30", 80, 24);
        TmuxTerminal term = _terminal;
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        await RawPeer.ReadExactlyAsync(peer, 29); // the greeting

        // Arrows, Home/End, Backspace and Delete edit; Ctrl+W takes a word, Ctrl+U the line: none of them is sent.
        await term.KeysAsync("-l", "hello world");
        await term.KeysAsync("Left", "Left", "Left", "Left", "Left", "BSpace", "Home", "Delete", "End");
        await term.KeysAsync("-l", "!");
        await term.KeysAsync("Enter");
        Assert.Equal("elloworld!\n", await ReadLineAsync(peer));

        await term.KeysAsync("-l", "junk words");
        await term.KeysAsync("C-w");
        await term.KeysAsync("-l", "more");
        await term.KeysAsync("C-u");
        await term.KeysAsync("-l", "ok 好");
        await term.KeysAsync("Enter");
        Assert.Equal("ok 好\n", await ReadLineAsync(peer));

        // ↑ brings back the last line.
        await term.KeysAsync("Up", "Enter");
        Assert.Equal("ok 好\n", await ReadLineAsync(peer));

        // What arrives while a line is half typed prints above the prompt; the line stays whole below it.
        await term.KeysAsync("-l", "half typed");
        await peer.SendAsync("incoming data\n"u8.ToArray());
        string[] screen = await term.WaitForScreenAsync(s => s.Contains("incoming data") && s.Last(l => l.Length > 0).StartsWith("> half typed", StringComparison.Ordinal));
        string[] written = screen.Where(l => l.Length > 0).ToArray();
        Assert.Equal("incoming data", written[^2]);

        // The peer closes: 'close socket' on its own line, the prompt taken away.
        peer.Shutdown(SocketShutdown.Both);
        screen = await term.WaitForScreenAsync(s => s.Any(l => l.StartsWith("EXIT=", StringComparison.Ordinal)));
        Assert.Contains("close socket", screen);
        Assert.Equal("EXIT=0", screen.Single(l => l.StartsWith("EXIT=", StringComparison.Ordinal)));
        Assert.DoesNotContain(screen, l => l.Contains("half typed", StringComparison.Ordinal));
        Assert.Equal(0, peer.Available);
    }

    private static async Task<string> ReadLineAsync(Socket peer)
    {
        var bytes = new List<byte>();
        byte[] one = new byte[1];
        while (bytes.Count == 0 || bytes[^1] != '\n')
        {
            int n = await peer.ReceiveAsync(one).WaitAsync(RawPeer.Limit);
            if (n == 0)
                break;
            bytes.Add(one[0]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public void Dispose() => _terminal?.Dispose();
}
