using System.Text;

namespace SocketLab.Core.Text;

/// <summary>The encodings SocketLab speaks, by the names users type.</summary>
public static class TextEncodings
{
    static TextEncodings()
    {
        // GBK, Big5 and Shift-JIS live in the code-pages provider that ships with .NET.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Names accepted by <see cref="Get"/>, in the order help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["utf-8", "gbk", "gb18030", "big5", "shift_jis", "latin1", "ascii"];

    /// <summary>Looks an encoding up by name (case-insensitive; "utf8", "cp936", "sjis" also work).</summary>
    public static bool TryGet(string name, out Encoding encoding)
    {
        Encoding? found = Normalize(name) switch
        {
            "utf8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            "gbk" or "cp936" or "gb2312" => Encoding.GetEncoding(936),
            "gb18030" => Encoding.GetEncoding(54936),
            "big5" or "cp950" => Encoding.GetEncoding(950),
            "shiftjis" or "sjis" or "cp932" => Encoding.GetEncoding(932),
            "latin1" or "iso88591" => Encoding.Latin1,
            "ascii" or "usascii" => Encoding.ASCII,
            _ => null,
        };
        encoding = found!;
        return found is not null;
    }

    public static Encoding Get(string name) =>
        TryGet(name, out Encoding e) ? e : throw new ArgumentException($"unknown encoding '{name}' (use one of: {string.Join(", ", Names)})", nameof(name));

    private static string Normalize(string name) =>
        new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
}
