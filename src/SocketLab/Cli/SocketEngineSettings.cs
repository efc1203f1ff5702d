namespace SocketLab.Cli;

/// <summary>
/// Runtime socket settings for the whole process, applied before the first socket is used (the runtime
/// reads them once). Measured in docs/benchmarks.md; a user's own environment value always wins.
/// </summary>
public static class SocketEngineSettings
{
    /// <summary>
    /// Run socket continuations on the epoll thread instead of queueing each one to the thread pool.
    /// An echo costs about a third less CPU this way. It is safe here because no continuation in
    /// socketlab blocks: console output goes through <see cref="Output.ConsoleSink"/>'s own thread.
    /// </summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }
}
