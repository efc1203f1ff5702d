using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Board.Oled;
using SocketLab.Board.Programs;

namespace SocketLab.Board.Tests;

/// <summary>The board program's line to socketlab, over a real loopback connection as the Python shim uses it.</summary>
public sealed class BoardChannelTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Line : IDisposable
    {
        private readonly TcpClient _client = new();
        private StreamReader? _reader;

        public static async Task<Line> ConnectAsync(string address)
        {
            var line = new Line();
            string[] parts = address.Split(':');
            await line._client.ConnectAsync(parts[0], int.Parse(parts[1])).WaitAsync(Wait);
            line._reader = new StreamReader(line._client.GetStream(), Encoding.UTF8);
            return line;
        }

        public async Task<string?> CallAsync(string json)
        {
            await _client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(json + "\n"));
            return await _reader!.ReadLineAsync().WaitAsync(Wait);
        }

        public void Dispose() => _client.Dispose();
    }

    [Fact]
    public async Task A_stranger_without_the_token_is_dropped_and_the_program_draws_and_gets_dispchars_value()
    {
        var oled = new OledDisplay();
        await using var channel = new BoardChannel(oled);
        OledFrame? shown = null;
        channel.Shown += f => shown = f;
        channel.Start();

        using (Line stranger = await Line.ConnectAsync(channel.Address))
            Assert.Null(await stranger.CallAsync("""{"op":"hello","token":"guess"}""")); // closed without a reply

        using Line program = await Line.ConnectAsync(channel.Address);
        Assert.Equal("""{"r":null}""", await program.CallAsync(JsonSerializer.Serialize(new { op = "hello", token = channel.Token })));
        Assert.Equal("""{"r":[71,71,0]}""", await program.CallAsync("""{"op":"DispChar","s":"你好，掌控板","x":0,"y":0,"mode":1,"auto_return":false}"""));
        Assert.Null(shown); // nothing on the glass before show()
        Assert.Equal("""{"r":null}""", await program.CallAsync("""{"op":"show"}"""));
        Assert.True(shown!.ContentEquals(oled.Shown));
        using JsonDocument error = JsonDocument.Parse((await program.CallAsync("""{"op":"blit"}"""))!);
        Assert.Equal("unknown OLED call 'blit'", error.RootElement.GetProperty("e").GetString()); // the shim raises it as TypeError
    }

    [Fact]
    public async Task A_silent_stranger_is_dropped_after_a_while_and_the_program_is_served()
    {
        await using var channel = new BoardChannel(new OledDisplay());
        channel.Start();
        using Line stranger = await Line.ConnectAsync(channel.Address); // connects first and says nothing

        using Line program = await Line.ConnectAsync(channel.Address);
        Assert.Equal("""{"r":null}""", await program.CallAsync(JsonSerializer.Serialize(new { op = "hello", token = channel.Token })));
    }

    [Fact]
    public async Task Buttons_read_as_the_page_holds_them()
    {
        await using var channel = new BoardChannel(new OledDisplay());
        channel.Start();
        using Line program = await Line.ConnectAsync(channel.Address);
        await program.CallAsync(JsonSerializer.Serialize(new { op = "hello", token = channel.Token }));

        Assert.Equal("""{"r":false}""", await program.CallAsync("""{"op":"button","name":"a"}"""));
        channel.SetButton('A', true);
        Assert.Equal("""{"r":true}""", await program.CallAsync("""{"op":"button","name":"a"}"""));
        Assert.Equal("""{"r":false}""", await program.CallAsync("""{"op":"button","name":"b"}"""));
    }
}
