using System.IO.Ports;
using SocketLab.Core.Serial;

namespace SocketLab.Core.Tests.Serial;

public sealed class SerialSettingsTests
{
    [Theory]
    [InlineData("/dev/ttyUSB0", "/dev/ttyUSB0", "115200 8N1")]
    [InlineData("/dev/ttyUSB0@9600", "/dev/ttyUSB0", "9600 8N1")]
    [InlineData("COM3@19200,7E2", "COM3", "19200 7E2")]
    [InlineData("/dev/ttyACM0@115200,8O1.5", "/dev/ttyACM0", "115200 8O1.5")]
    public void Endpoint_text_gives_port_and_settings(string text, string port, string described)
    {
        Assert.True(SerialSettings.TryParse(text, out SerialSettings? s, out string? error), error);
        Assert.Equal(port, s.Port);
        Assert.Equal(described, s.Describe());
    }

    [Theory]
    [InlineData("", "no port name")]
    [InlineData("@9600", "no port name")]
    [InlineData("/dev/ttyUSB0@fast", "baud rate")]
    [InlineData("/dev/ttyUSB0@9600,9N1", "frame")]
    [InlineData("/dev/ttyUSB0@9600,8X1", "frame")]
    [InlineData("/dev/ttyUSB0@9600,8N3", "frame")]
    public void Bad_endpoint_text_says_what_is_wrong(string text, string complaint)
    {
        Assert.False(SerialSettings.TryParse(text, out _, out string? error));
        Assert.Contains(complaint, error);
    }

    [Fact]
    public void Odd_parity_and_two_stop_bits_are_described_as_terminals_write_them()
    {
        Assert.Equal("4800 7O2", new SerialSettings("x") { Baud = 4800, DataBits = 7, Parity = Parity.Odd, StopBits = StopBits.Two }.Describe());
    }
}
