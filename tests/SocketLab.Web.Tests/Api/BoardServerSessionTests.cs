using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

/// <summary>The page's "像掌控板一样" switch: a TCP server session started with <c>board: true</c>, real TcpClients as the phones.</summary>
public sealed class BoardServerSessionTests
{
    private static bool IsNote(JsonElement e, string text) =>
        e.GetProperty("text").GetString()!.Contains(text, StringComparison.Ordinal);

    [Fact]
    public async Task Serves_one_client_at_a_time_and_logs_accepting_and_the_boards_pieces()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: true, board: true);
        Assert.True((await ui.GetAsync($"/api/sessions/{id}")).GetProperty("details").GetProperty("board").GetBoolean());

        using TcpClient first = await Wire.ConnectAsync(port);
        byte[] message = Encoding.ASCII.GetBytes(new string('x', 3000));
        await first.GetStream().WriteAsync(message);
        Assert.Equal(message, await first.GetStream().ReadExactlyAsync(message.Length));
        await ui.WaitForLogAsync(id, e => IsNote(e, "board: #1 this message (3000 bytes) reaches the board's recv(1024) in 3 pieces"));

        using TcpClient second = await Wire.ConnectAsync(port);
        await second.GetStream().WriteAsync("two"u8.ToArray());
        Assert.True(await second.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(400)));

        first.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("two"u8.ToArray(), await second.GetStream().ReadExactlyAsync(3));
        await ui.WaitForLogAsync(id, e => IsNote(e, "accepting....."));
    }
}
