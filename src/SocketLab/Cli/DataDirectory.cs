namespace SocketLab.Cli;

/// <summary>Where socketlab keeps files between runs: $SOCKETLAB_DATA_DIR, else ~/.local/share/socketlab (per-user app data).</summary>
public static class DataDirectory
{
    public static string Path =>
        Environment.GetEnvironmentVariable("SOCKETLAB_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "socketlab");
}
