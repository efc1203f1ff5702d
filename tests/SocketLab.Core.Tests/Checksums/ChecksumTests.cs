using System.Text;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Checksums;

public sealed class ChecksumTests
{
    private static readonly byte[] CheckInput = Encoding.ASCII.GetBytes("123456789");

    [Theory]
    [InlineData("crc16-modbus", 0x4B37u)]
    [InlineData("crc16-ccitt-false", 0x29B1u)]
    [InlineData("crc16-xmodem", 0x31C3u)]
    [InlineData("crc16-ibm", 0xBB3Du)]
    [InlineData("crc8", 0xF4u)]
    [InlineData("crc32", 0xCBF43926u)]
    [InlineData("xor", 0x31u)]
    [InlineData("sum8", 0xDDu)]
    [InlineData("lrc", 0x23u)]
    public void Each_algorithm_gives_the_catalogues_check_value_for_123456789(string name, uint check)
    {
        Assert.True(Checksum.TryGet(name, out Checksum? c));
        Assert.Equal(check, c.Compute(CheckInput));
        Assert.Equal(check, c.Check);
    }

    [Fact]
    public void Every_algorithm_is_tested_above()
    {
        Assert.Equal(9, Checksum.All.Count);
        Assert.All(Checksum.All, c => Assert.Equal(c.Check, c.Compute(CheckInput)));
    }

    [Theory]
    // A Modbus RTU "read holding registers" request (slave 1, address 0, 10 registers): CRC C5 CD, low byte first.
    [InlineData("crc16-modbus", null, "01 03 00 00 00 0A", "c5 cd")]
    // A captured Modbus RTU response to it, and a "write single register" request.
    [InlineData("crc16-modbus", null, "01 06 00 01 00 03", "98 0b")]
    [InlineData("crc16-modbus", "be", "01 03 00 00 00 0A", "cd c5")]
    [InlineData("crc16-xmodem", null, "31 32 33 34 35 36 37 38 39", "31 c3")]
    [InlineData("crc32", null, "31 32 33 34 35 36 37 38 39", "26 39 f4 cb")]
    [InlineData("crc32", "be", "31 32 33 34 35 36 37 38 39", "cb f4 39 26")]
    // Modbus ASCII ":010300000001" (read 1 register): LRC FB.
    [InlineData("lrc", null, "01 03 00 00 00 01", "fb")]
    [InlineData("xor", null, "02 31 32 03", "02")]
    public void Checksums_go_on_the_wire_in_the_protocols_byte_order(string name, string? order, string frame, string expected)
    {
        Assert.True(Checksum.TryGet(name, out Checksum? c));
        ByteOrder? o = order is null ? null : Checksum.TryParseOrder(order, out ByteOrder parsed) ? parsed : throw new ArgumentException(order);
        Assert.True(HexParser.TryParse(frame, out byte[]? data, out _));
        Assert.Equal(expected, HexDump.Pairs(c.Bytes(data, o)));
        byte[] whole = c.Append(data, o);
        Assert.True(c.Verify(whole, o, out _, out _));
        whole[^1] ^= 0x01;
        Assert.False(c.Verify(whole, o, out byte[] want, out byte[] got));
        Assert.Equal(expected, HexDump.Pairs(want));
        Assert.NotEqual(want, got);
    }

    [Theory]
    [InlineData("MODBUS", "crc16-modbus")]
    [InlineData("bcc", "xor")]
    [InlineData("crc16-arc", "crc16-ibm")]
    public void Names_are_forgiving(string given, string name)
    {
        Assert.True(Checksum.TryGet(given, out Checksum? c));
        Assert.Equal(name, c.Name);
    }

    [Fact]
    public void A_frame_no_longer_than_its_checksum_fails_verification()
    {
        Assert.True(Checksum.TryGet("crc16-modbus", out Checksum? c));
        Assert.False(c.Verify([0x01, 0x02], null, out _, out _));
        Assert.False(Checksum.TryGet("crc99", out _));
    }
}
