using System.Net;
using System.Net.WebSockets;
using System.Text;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

public sealed class AccessTests
{
    [Fact]
    public async Task Api_without_or_with_a_wrong_token_is_401_and_the_page_itself_is_public()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = ui.Host.BaseUri };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sessions?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/sessions", new StringContent("{\"kind\":\"tcpServer\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ws")).StatusCode);
        Assert.Empty(ui.Host.Sessions.All);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/sessions?token={ui.Host.Token}")).StatusCode);
        HttpResponseMessage page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("app.js", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_needs_the_token_and_refuses_a_foreign_origin()
    {
        await using UiServer ui = await UiServer.StartAsync();
        var wsBase = new Uri($"ws://{ui.Host.BaseUri.Authority}/ws");

        using (var noToken = new ClientWebSocket())
        {
            noToken.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => noToken.ConnectAsync(wsBase, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.HttpStatusCode);
        }
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.CollectHttpResponseDetails = true;
            foreign.Options.SetRequestHeader("Origin", "http://evil.example");
            await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri(wsBase, $"?token={ui.Host.Token}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
        }
        using (var own = new ClientWebSocket())
        {
            own.Options.SetRequestHeader("Origin", $"http://{ui.Host.BaseUri.Authority}");
            await own.ConnectAsync(new Uri(wsBase, $"?token={ui.Host.Token}"), CancellationToken.None);
            Assert.Equal(WebSocketState.Open, own.State);
        }
    }

    [Fact]
    public async Task A_rebound_host_name_is_refused_even_with_the_token()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Host = $"attacker.example:{ui.Host.BaseUri.Port}";
        HttpResponseMessage r = await ui.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    [Fact]
    public async Task Request_bodies_and_websocket_messages_have_size_limits()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { MaxRequestBytes = 4096 });
        string big = "{\"kind\":\"tcpServer\",\"title\":\"" + new string('x', 10_000) + "\"}";
        HttpResponseMessage r = await ui.Http.PostAsync("/api/sessions", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://{ui.Host.BaseUri.Authority}/ws?token={ui.Host.Token}"), CancellationToken.None);
        await ws.SendAsync(new byte[64 * 1024], WebSocketMessageType.Text, true, CancellationToken.None);
        byte[] buffer = new byte[1 << 20];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        WebSocketReceiveResult res;
        do res = await ws.ReceiveAsync(buffer, cts.Token);
        while (res.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, res.CloseStatus);
    }
}
