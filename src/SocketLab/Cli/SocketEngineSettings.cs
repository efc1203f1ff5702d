namespace SocketLab.Cli;

/// <summary>
/// Runtime socket settings, applied before the first socket is used (the runtime reads them once).
/// Measured in docs/benchmarks.md; a user's own environment value always wins.
/// </summary>
public static class SocketEngineSettings
{
    /// <summary>
    /// Run socket continuations on the epoll thread instead of queueing each one to the thread pool.
    /// An echo costs about a third less CPU this way. Only for the commands whose every socket
    /// continuation was checked not to block (console output goes through ConsoleSink's own thread);
    /// the web UI and the rest keep the runtime's default.
    /// </summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Set to 1, connections use only the socket calls every OS has and servers the async engine
    /// (<see cref="SocketLab.Core.Tcp.TcpConnectionOptions.PortableSockets"/>): the path Windows and macOS run,
    /// forced on Linux so that the tests can run it.
    /// </summary>
    public const string PortableSocketsVariable = "SOCKETLAB_PORTABLE_SOCKETS";

    public static bool PortableSockets => Environment.GetEnvironmentVariable(PortableSocketsVariable) == "1";

    private static readonly string[] InlineCommands = ["server", "client", "bench"];

    public static void Apply(string[] args)
    {
        if (args.Length > 0 && InlineCommands.Contains(args[0]) && Environment.GetEnvironmentVariable(InlineCompletions) is null)
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }
}
