using System.CommandLine;

namespace SocketLab.Cli.Commands;

/// <summary>
/// The subcommands by name. Building a command means creating all its options, and on a cold start
/// that is JIT work (every <c>Option&lt;T&gt;</c> instantiation), so a run that names its command builds
/// only that one: <c>socketlab server</c> listens sooner (docs/benchmarks.md, start-up).
/// </summary>
public static class CommandTable
{
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("server", ServerCommand.Create),
        ("client", ClientCommand.Create),
        ("udp", UdpCommand.Create),
        ("replay", ReplayCommand.Create),
        ("expect", ExpectCommand.Create),
        ("ui", UiCommand.Create),
        ("oled", OledCommand.Create),
        ("bench", BenchCommand.Create),
        ("checksum", ChecksumCommand.Create),
        ("send-list", SendListCommand.Create),
        ("board", BoardCommand.Create),
        ("serial", SerialCommand.Create),
        ("relay", RelayCommand.Create),
        ("bridge", BridgeCommand.Create),
    ];

    /// <summary>The root with the one command <paramref name="args"/> starts with, or with all of them (help, typos, no command).</summary>
    public static RootCommand Root(string description, IReadOnlyList<string> args)
    {
        var root = new RootCommand(description);
        string? first = args.Count > 0 ? args[0] : null;
        bool named = Commands.Any(c => c.Name == first);
        foreach ((string name, Func<Command> create) in Commands)
        {
            if (!named || name == first)
                root.Subcommands.Add(create());
        }
        return root;
    }
}
