using System.Globalization;
using System.Text;
using System.Text.Json;
using SocketLab.Core.Text;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>A session log written out for people (text) or programs (one JSON object a line).</summary>
public static class LogExport
{
    public static string Text(IEnumerable<LogEntry> entries)
    {
        var sb = new StringBuilder();
        foreach (LogEntry e in entries)
        {
            sb.Append(e.Time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("  ")
              .Append(e.Dir.ToString().ToUpperInvariant().PadRight(5));
            if (e.Peer.Length > 0)
                sb.Append(' ').Append(e.Peer);
            if (e.Dir is LogDirection.Rx or LogDirection.Tx)
                sb.Append(" (").Append(e.Length.ToString(CultureInfo.InvariantCulture)).Append(e.Echo ? " bytes, echo) " : " bytes) ");
            else
                sb.Append(' ');
            sb.Append(VisibleText.Render(e.Text, showEol: true).Replace("\n", "", StringComparison.Ordinal)).Append('\n');
        }
        return sb.ToString();
    }

    public static string JsonLines(IEnumerable<LogEntry> entries)
    {
        var sb = new StringBuilder();
        foreach (LogEntry e in entries)
        {
            sb.Append(Json.Serialize(new ExportLine(e.Seq, e.Time, e.Dir, e.Peer, e.Length, e.Echo, e.Text, HexDump.Pairs(e.Data)))).Append('\n');
        }
        return sb.ToString();
    }
}
