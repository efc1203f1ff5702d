using System.Security.Cryptography;

namespace SocketLab.Board.Programs;

/// <summary>
/// Where the board's Python shim modules are: <c>board-shim/</c> next to the app when it is there (a build or a
/// tool install), else a copy of the ones inside the assembly written once to the temp folder (a single-file release).
/// </summary>
public static class BoardShim
{
    private static readonly Lazy<string> Found = new(Locate);

    public static string Folder() => Found.Value;

    private static string Locate()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, BoardProgram.ShimFolder);
        if (Directory.Exists(beside))
            return beside;
        var assembly = typeof(BoardShim).Assembly;
        string[] names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(BoardProgram.ShimFolder + "/", StringComparison.Ordinal)).Order().ToArray();
        var files = names.Select(n =>
        {
            using Stream s = assembly.GetManifestResourceStream(n)!;
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return (Name: n[(BoardProgram.ShimFolder.Length + 1)..], Bytes: copy.ToArray());
        }).ToArray();
        // Named by content: a newer release never runs an older release's modules, and nothing is rewritten while in use.
        string hash = Convert.ToHexStringLower(SHA256.HashData(files.SelectMany(f => f.Bytes).ToArray()))[..16];
        string folder = Path.Combine(Path.GetTempPath(), $"socketlab-board-shim-{hash}");
        // Another user may have made that folder in a shared temp: use it only when it holds exactly these files.
        if (Directory.Exists(folder) && !files.All(f => File.Exists(Path.Combine(folder, f.Name)) && File.ReadAllBytes(Path.Combine(folder, f.Name)).AsSpan().SequenceEqual(f.Bytes)))
            folder = Directory.CreateTempSubdirectory("socketlab-board-shim-").FullName;
        if (!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0)
        {
            string staging = Directory.CreateTempSubdirectory("socketlab-board-shim-").FullName;
            foreach ((string name, byte[] bytes) in files)
                File.WriteAllBytes(Path.Combine(staging, name), bytes);
            try
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder); // the empty private folder made above
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                Directory.Delete(staging, recursive: true); // another process wrote the same files first
            }
        }
        return folder;
    }
}
