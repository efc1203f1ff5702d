using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;

namespace SocketLab.Core.Checksums;

/// <summary>Which end of a two- or four-byte checksum goes on the wire first.</summary>
public enum ByteOrder
{
    /// <summary>Low byte first (Modbus RTU's CRC, CRC-32 in Ethernet/ZIP).</summary>
    LittleEndian,

    /// <summary>High byte first (XMODEM, CCITT-FALSE as most devices send them).</summary>
    BigEndian,
}

/// <summary>
/// A checksum that device protocols append to a frame: the CRCs of the CRC catalogue (Rocksoft model:
/// width, poly, init, reflect in/out, xorout) and the simple ones (XOR/BCC, SUM8, LRC). Each is tested
/// against the catalogue's check value for "123456789".
/// </summary>
public sealed class Checksum
{
    private readonly Func<ReadOnlySpan<byte>, uint> _compute;

    private Checksum(string name, string title, int size, ByteOrder order, uint check, Func<ReadOnlySpan<byte>, uint> compute)
    {
        Name = name;
        Title = title;
        Size = size;
        DefaultOrder = order;
        Check = check;
        _compute = compute;
    }

    /// <summary>The name users type: <c>crc16-modbus</c>, <c>xor</c>…</summary>
    public string Name { get; }

    /// <summary>The catalogue's name and what uses it, for lists and help.</summary>
    public string Title { get; }

    /// <summary>Bytes on the wire: 1, 2 or 4.</summary>
    public int Size { get; }

    /// <summary>The order the protocols that use it send it in.</summary>
    public ByteOrder DefaultOrder { get; }

    /// <summary>The value for the ASCII bytes "123456789" (the CRC catalogue's <c>check</c>).</summary>
    public uint Check { get; }

    public uint Compute(ReadOnlySpan<byte> data) => _compute(data);

    /// <summary>The checksum of <paramref name="data"/> as it goes on the wire.</summary>
    public byte[] Bytes(ReadOnlySpan<byte> data, ByteOrder? order = null)
    {
        uint value = Compute(data);
        byte[] bytes = new byte[Size];
        bool little = (order ?? DefaultOrder) == ByteOrder.LittleEndian;
        switch (Size)
        {
            case 1: bytes[0] = (byte)value; break;
            case 2:
                if (little) BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                else BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
                break;
            default:
                if (little) BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
                else BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
                break;
        }
        return bytes;
    }

    /// <summary><paramref name="data"/> followed by its checksum.</summary>
    public byte[] Append(ReadOnlySpan<byte> data, ByteOrder? order = null) => [.. data, .. Bytes(data, order)];

    /// <summary>
    /// Whether a received frame ends with the right checksum of what comes before it; <paramref name="expected"/>
    /// and <paramref name="actual"/> are the trailing bytes it should have and has. A frame no longer than the
    /// checksum itself is wrong.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> frame, ByteOrder? order, out byte[] expected, out byte[] actual)
    {
        if (frame.Length <= Size)
        {
            expected = [];
            actual = frame.ToArray();
            return false;
        }
        expected = Bytes(frame[..^Size], order);
        actual = frame[^Size..].ToArray();
        return expected.AsSpan().SequenceEqual(actual);
    }

    public static IReadOnlyList<Checksum> All { get; } =
    [
        Crc("crc16-modbus", "CRC-16/MODBUS (Modbus RTU)", 16, 0x8005, 0xFFFF, true, 0, 0x4B37, ByteOrder.LittleEndian),
        Crc("crc16-ccitt-false", "CRC-16/CCITT-FALSE (IBM-3740)", 16, 0x1021, 0xFFFF, false, 0, 0x29B1, ByteOrder.BigEndian),
        Crc("crc16-xmodem", "CRC-16/XMODEM", 16, 0x1021, 0x0000, false, 0, 0x31C3, ByteOrder.BigEndian),
        Crc("crc16-ibm", "CRC-16/ARC (IBM)", 16, 0x8005, 0x0000, true, 0, 0xBB3D, ByteOrder.LittleEndian),
        Crc("crc8", "CRC-8 (SMBus)", 8, 0x07, 0x00, false, 0, 0xF4, ByteOrder.BigEndian),
        new("crc32", "CRC-32 (ISO-HDLC: Ethernet, ZIP, PNG)", 4, ByteOrder.LittleEndian, 0xCBF43926, Crc32.HashToUInt32),
        new("xor", "XOR of every byte (BCC)", 1, ByteOrder.BigEndian, 0x31, Xor),
        new("sum8", "SUM8: the low byte of the sum", 1, ByteOrder.BigEndian, 0xDD, data => (uint)Sum(data) & 0xFF),
        new("lrc", "LRC (Modbus ASCII): the two's complement of SUM8", 1, ByteOrder.BigEndian, 0x23, data => (uint)-Sum(data) & 0xFF),
    ];

    /// <summary>Names accepted besides <see cref="Name"/>.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["modbus"] = "crc16-modbus", ["crc16"] = "crc16-modbus", ["crc16-arc"] = "crc16-ibm", ["crc16-ccitt"] = "crc16-ccitt-false",
        ["crc16-ibm-3740"] = "crc16-ccitt-false", ["xmodem"] = "crc16-xmodem", ["bcc"] = "xor", ["sum"] = "sum8", ["crc-32"] = "crc32",
    };

    public static bool TryGet(string name, [NotNullWhen(true)] out Checksum? checksum)
    {
        string key = name.Trim();
        if (Aliases.TryGetValue(key, out string? real))
            key = real;
        checksum = All.FirstOrDefault(c => c.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
        return checksum is not null;
    }

    public static bool TryParseOrder(string text, out ByteOrder order)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "le" or "little" or "lsb" or "little-endian": order = ByteOrder.LittleEndian; return true;
            case "be" or "big" or "msb" or "big-endian": order = ByteOrder.BigEndian; return true;
            default: order = ByteOrder.BigEndian; return false;
        }
    }

    public static string Names => string.Join(", ", All.Select(c => c.Name));

    /// <summary>
    /// A checksum and its byte order as users write them (<c>"crc16-modbus"</c>, <c>"le"</c>): a null, empty
    /// or <c>"none"</c> name is no checksum, a null or empty order the algorithm's usual one. On failure
    /// <paramref name="badOrder"/> tells whether the order (rather than the name) was wrong, and
    /// <paramref name="error"/> says what was wrong for the caller to put after its own option name.
    /// </summary>
    public static bool TryParse(string? name, string? order, out Checksum? checksum, out ByteOrder? byteOrder, out bool badOrder, [NotNullWhen(false)] out string? error)
    {
        (checksum, byteOrder, badOrder, error) = (null, null, false, null);
        if (name is { Length: > 0 } && name != "none" && !TryGet(name, out checksum))
        {
            error = $"unknown checksum '{name}' (use one of: {Names})";
            return false;
        }
        if (order is { Length: > 0 })
        {
            if (!TryParseOrder(order, out ByteOrder parsed))
            {
                (badOrder, error) = (true, $"'{order}' is not le or be");
                return false;
            }
            byteOrder = parsed;
        }
        return true;
    }

    private static uint Xor(ReadOnlySpan<byte> data)
    {
        byte x = 0;
        foreach (byte b in data)
            x ^= b;
        return x;
    }

    private static int Sum(ReadOnlySpan<byte> data)
    {
        int s = 0;
        foreach (byte b in data)
            s += b;
        return s;
    }

    /// <summary>A table-driven CRC of 8 or 16 bits in the Rocksoft model.</summary>
    private static Checksum Crc(string name, string title, int width, uint poly, uint init, bool reflected, uint xorOut, uint check, ByteOrder order)
    {
        uint mask = width == 32 ? uint.MaxValue : (1u << width) - 1;
        uint[] table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r;
            if (reflected)
            {
                uint rpoly = Reflect(poly, width);
                r = i;
                for (int k = 0; k < 8; k++)
                    r = (r & 1) != 0 ? (r >> 1) ^ rpoly : r >> 1;
            }
            else
            {
                r = i << (width - 8);
                uint top = 1u << (width - 1);
                for (int k = 0; k < 8; k++)
                    r = (r & top) != 0 ? (r << 1) ^ poly : r << 1;
            }
            table[i] = r & mask;
        }
        uint start = reflected ? Reflect(init, width) : init;
        return new Checksum(name, title, width / 8, order, check, data =>
        {
            uint crc = start;
            if (reflected)
            {
                foreach (byte b in data)
                    crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF];
            }
            else
            {
                foreach (byte b in data)
                    crc = ((crc << 8) ^ table[((crc >> (width - 8)) ^ b) & 0xFF]) & mask;
            }
            return (crc ^ xorOut) & mask;
        });
    }

    private static uint Reflect(uint value, int width)
    {
        uint r = 0;
        for (int i = 0; i < width; i++)
        {
            if ((value & (1u << i)) != 0)
                r |= 1u << (width - 1 - i);
        }
        return r;
    }
}
