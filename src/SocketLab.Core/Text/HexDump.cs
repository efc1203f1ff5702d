using System.Text;

namespace SocketLab.Core.Text;

/// <summary>The classic hex+ASCII dump (<c>hexdump -C</c> layout), 16 bytes a line.</summary>
public static class HexDump
{
    /// <summary>Formats <paramref name="data"/>; offsets start at <paramref name="offset"/> so a stream reads as one dump.</summary>
    public static string Format(ReadOnlySpan<byte> data, long offset = 0)
    {
        var sb = new StringBuilder((data.Length / 16 + 1) * 78);
        for (int line = 0; line < data.Length; line += 16)
        {
            ReadOnlySpan<byte> row = data.Slice(line, Math.Min(16, data.Length - line));
            sb.Append((offset + line).ToString("x8")).Append("  ");
            for (int i = 0; i < 16; i++)
            {
                if (i < row.Length)
                    sb.Append(row[i].ToString("x2")).Append(' ');
                else
                    sb.Append("   ");
                if (i == 7)
                    sb.Append(' ');
            }
            sb.Append(" |");
            foreach (byte b in row)
                sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            sb.Append('|');
            if (line + 16 < data.Length)
                sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Bytes as space-separated hex pairs ("68 65 6c").</summary>
    public static string Pairs(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return string.Empty;
        var sb = new StringBuilder(data.Length * 3);
        foreach (byte b in data)
            sb.Append(b.ToString("x2")).Append(' ');
        return sb.ToString(0, sb.Length - 1);
    }
}
