namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>A fresh folder for a test's data (history.db, transcripts, saved files), deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("socketlab-web-").FullName;

    public void Dispose()
    {
        // SQLite may keep the history file open in its pool until told otherwise.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }
}
