using Microsoft.Data.Sqlite;
using SocketLab.Core.Presets;

namespace SocketLab.Web.History;

/// <summary>
/// The page's command lists: in the history's SQLite file (table <c>command_lists</c>) when there is
/// one, in memory otherwise (<c>ui --no-history</c>). Lists are kept as the JSON they import and export as.
/// </summary>
public sealed class CommandListStore(string? databasePath)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, CommandList> _memory = new(StringComparer.Ordinal);
    private readonly string? _connectionString = databasePath is null ? null : new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString();

    public IReadOnlyList<CommandList> All()
    {
        if (_connectionString is null)
        {
            lock (_lock)
                return _memory.Values.ToArray();
        }
        using SqliteConnection db = Open();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT json FROM command_lists ORDER BY name";
        var lists = new List<CommandList>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (CommandList.TryParse(r.GetString(0), out CommandList? list, out _))
                lists.Add(list);
        }
        return lists;
    }

    public CommandList? Find(string name) => All().FirstOrDefault(l => l.Name == name);

    /// <summary>Adds or replaces the list of that name.</summary>
    public void Save(CommandList list)
    {
        if (_connectionString is null)
        {
            lock (_lock)
                _memory[list.Name] = list;
            return;
        }
        using SqliteConnection db = Open();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO command_lists (name, json, updated_at) VALUES ($n, $j, $t) ON CONFLICT(name) DO UPDATE SET json = $j, updated_at = $t";
        cmd.Parameters.AddWithValue("$n", list.Name);
        cmd.Parameters.AddWithValue("$j", list.ToJson());
        cmd.Parameters.AddWithValue("$t", DateTimeOffset.Now.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
    }

    public bool Delete(string name)
    {
        if (_connectionString is null)
        {
            lock (_lock)
                return _memory.Remove(name);
        }
        using SqliteConnection db = Open();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM command_lists WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteNonQuery() > 0;
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(_connectionString);
        db.Open();
        return db;
    }
}
