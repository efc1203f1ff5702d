using Microsoft.Data.Sqlite;

namespace SocketLab.Web.History;

/// <summary>
/// The history database's schema as numbered migrations; <c>schema_version</c> holds the last one
/// applied, so an older file is brought forward on open and a newer one is refused.
/// </summary>
public static class HistorySchema
{
    private static readonly string[] Migrations =
    [
        // 1: sessions and every log event, bytes kept exactly.
        """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (0);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            run TEXT NOT NULL,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            started_at INTEGER NOT NULL
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            time INTEGER NOT NULL,
            dir TEXT NOT NULL,
            peer TEXT NOT NULL,
            len INTEGER NOT NULL,
            echo INTEGER NOT NULL,
            text TEXT NOT NULL,
            data BLOB NOT NULL
        );
        CREATE INDEX events_by_session ON events(session, id);
        """,
        // 2: a note's code and parameters, so the page can word past notes in the user's language.
        """
        ALTER TABLE events ADD COLUMN code TEXT;
        ALTER TABLE events ADD COLUMN args TEXT;
        """,
        // 3: the page's command lists (NetAssist's 多条字符串), as their JSON.
        """
        CREATE TABLE command_lists (name TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection db)
    {
        int current = Version(db);
        if (current > Latest)
            throw new InvalidOperationException($"the history database is schema version {current}, newer than this socketlab ({Latest}); use a newer socketlab or another --data-dir");
        for (int v = current; v < Latest; v++)
        {
            using SqliteTransaction tx = db.BeginTransaction();
            using (SqliteCommand cmd = db.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Migrations[v] + $"\nUPDATE schema_version SET version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    public static int Version(SqliteConnection db)
    {
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            return 0;
        cmd.CommandText = "SELECT version FROM schema_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
