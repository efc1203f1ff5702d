using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

/// <summary>The Record toggle through the API: real loopback traffic, read back with the Core transcript reader.</summary>
public sealed partial class RecordingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-record-").FullName;

    [Fact]
    public async Task Tcp_server_records_open_data_and_close_exactly_while_on_and_nothing_after_off()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);

        JsonElement on = await ui.PutAsync($"/api/sessions/{id}/record", new { on = true });
        Assert.True(on.GetProperty("recording").GetBoolean());
        string path = on.GetProperty("transcript").GetString()!;
        Assert.Equal(Path.Combine(_dir, "transcripts"), Path.GetDirectoryName(path));
        Assert.Matches(TcpServerName(), Path.GetFileName(path));

        byte[] sent = [0x00, 0xff, 0x0d, 0x0a, .. Encoding.UTF8.GetBytes("你好，掌控板")];
        string clientEnd;
        using (TcpClient board = await Wire.ConnectAsync(port))
        {
            clientEnd = $"127.0.0.1:{((IPEndPoint)board.Client.LocalEndPoint!).Port}";
            NetworkStream s = board.GetStream();
            await s.WriteAsync(sent);
            Assert.Equal(sent, await s.ReadExactlyAsync(sent.Length));
            await ui.PostAsync($"/api/sessions/{id}/send", new { data = "from the PC", eol = "lf" });
            Assert.Equal("from the PC\n"u8.ToArray(), await s.ReadExactlyAsync(12));
        }
        await ui.WaitForLogAsync(id, e => e.GetProperty("text").GetString()!.Contains("disconnected"));
        JsonElement off = await ui.PutAsync($"/api/sessions/{id}/record", new { on = false });
        Assert.False(off.GetProperty("recording").GetBoolean());
        Assert.Equal(path, off.GetProperty("transcript").GetString());

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(path);
        Assert.All(events, e => Assert.Equal(("tcp", "server", clientEnd), (e.Protocol, e.Role, e.Remote)));
        Assert.Equal(TranscriptEventKind.Open, events[0].Kind);
        Assert.Equal(TranscriptEventKind.Close, events[^1].Kind);
        Assert.Equal("remote_closed", events[^1].Reason);
        Assert.Single(events.Select(e => e.Connection).Distinct());
        Assert.Equal(sent, Bytes(events, TranscriptDirection.In, echo: false));
        Assert.Equal(sent, Bytes(events, TranscriptDirection.Out, echo: true));
        Assert.Equal("from the PC\n"u8.ToArray(), Bytes(events, TranscriptDirection.Out, echo: false));

        // Off means off: a later client's bytes are not written.
        long length = new FileInfo(path).Length;
        using (TcpClient later = await Wire.ConnectAsync(port))
        {
            await later.GetStream().WriteAsync("late"u8.ToArray());
            Assert.Equal("late"u8.ToArray(), await later.GetStream().ReadExactlyAsync(4));
        }
        Assert.Equal(length, new FileInfo(path).Length);

        // The download streams the same file, behind the token.
        Assert.Equal(await File.ReadAllBytesAsync(path), await ui.Http.GetByteArrayAsync($"/api/sessions/{id}/transcript"));
        using var anonymous = new HttpClient { BaseAddress = ui.Host.BaseUri };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/sessions/{id}/transcript")).StatusCode);
    }

    [Fact]
    public async Task Recording_started_mid_connection_opens_it_and_the_state_is_in_the_session_list()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await ui.WaitForLogAsync(id, e => e.GetProperty("text").GetString()!.Contains("connected"));

        string path = (await ui.PutAsync($"/api/sessions/{id}/record", new { on = true })).GetProperty("transcript").GetString()!;
        await board.GetStream().WriteAsync("abc"u8.ToArray());
        await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx");

        // A reloaded page gets the toggle's state from the session list.
        JsonElement listed = (await ui.GetAsync("/api/sessions"))[0];
        Assert.True(listed.GetProperty("recording").GetBoolean());
        Assert.Equal(path, listed.GetProperty("transcript").GetString());
        await ui.PutAsync($"/api/sessions/{id}/record", new { on = false });

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(path);
        Assert.Equal([TranscriptEventKind.Open, TranscriptEventKind.Data], events.Select(e => e.Kind));
        Assert.Equal("abc"u8.ToArray(), events[1].Data.ToArray());
    }

    [Fact]
    public async Task Udp_session_records_each_datagram_and_its_echo_exactly()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        string id = (await ui.PostAsync("/api/sessions", new { kind = "udp" })).GetProperty("id").GetString()!;
        string path = (await ui.PutAsync($"/api/sessions/{id}/record", new { on = true })).GetProperty("transcript").GetString()!;
        Assert.Matches(UdpName(), Path.GetFileName(path));
        JsonElement open = await ui.PostAsync($"/api/sessions/{id}/start", new { port = 0, echo = true });
        string local = open.GetProperty("details").GetProperty("local").GetString()!;
        var session = new IPEndPoint(IPAddress.Loopback, int.Parse(local[(local.LastIndexOf(':') + 1)..]));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        byte[][] datagrams = [[0x00, 0xff, 0x0d], "hello message from mPython\r\n"u8.ToArray()];
        foreach (byte[] d in datagrams)
        {
            await peer.SendAsync(d, session);
            Assert.Equal(d, (await peer.ReceiveAsync(cts.Token)).Buffer);
        }
        await ui.WaitForLogAsync(id, e => e.GetProperty("echo").GetBoolean() && e.GetProperty("len").GetInt32() == datagrams[1].Length);
        await ui.PutAsync($"/api/sessions/{id}/record", new { on = false });

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(path);
        string peerEnd = $"127.0.0.1:{((IPEndPoint)peer.Client.LocalEndPoint!).Port}";
        Assert.All(events, e => Assert.Equal(("udp", "udp-listen", TranscriptEventKind.Data, peerEnd), (e.Protocol, e.Role, e.Kind, e.Remote)));
        Assert.Equal(4, events.Count);
        for (int i = 0; i < datagrams.Length; i++)
        {
            Assert.Equal((TranscriptDirection.In, false), (events[2 * i].Direction, events[2 * i].Echo));
            Assert.Equal((TranscriptDirection.Out, true), (events[2 * i + 1].Direction, events[2 * i + 1].Echo));
            Assert.Equal(datagrams[i], events[2 * i].Data.ToArray());
            Assert.Equal(datagrams[i], events[2 * i + 1].Data.ToArray());
        }
    }

    [Fact]
    public async Task Download_without_a_recording_is_a_404()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        string id = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;
        using HttpResponseMessage r = await ui.Http.GetAsync($"/api/sessions/{id}/transcript");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("has not recorded", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unwritable_transcript_folder_is_a_400_with_the_reason_and_recording_stays_off()
    {
        string file = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { TranscriptDirectory = file });
        string id = (await ui.PostAsync("/api/sessions", new { kind = "udp" })).GetProperty("id").GetString()!;
        JsonElement error = await ui.PutAsync($"/api/sessions/{id}/record", new { on = true }, expect: 400);
        Assert.StartsWith($"cannot write transcript '{file}/udp-s1-", error.GetProperty("error").GetString());
        Assert.False((await ui.GetAsync($"/api/sessions/{id}")).GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task A_full_disk_turns_recording_off_with_an_error_in_the_log_and_the_session_keeps_serving()
    {
        using var disk = new SmallDisk("256k");
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { TranscriptDirectory = disk.Path });
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        string path = (await ui.PutAsync($"/api/sessions/{id}/record", new { on = true })).GetProperty("transcript").GetString()!;

        var random = new Random(5);
        using (TcpClient board = await Wire.ConnectAsync(port))
        {
            NetworkStream s = board.GetStream();
            for (int i = 0; i < 30; i++)
            {
                byte[] chunk = new byte[9000];
                random.NextBytes(chunk);
                await s.WriteAsync(chunk);
                Assert.Equal(chunk, await s.ReadExactlyAsync(chunk.Length)); // Echo byte-exact before, at and after the disk filled.
            }
        }
        JsonElement error = await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "error");
        Assert.StartsWith($"recording stopped: cannot write '{path}': No space left on device", error.GetProperty("text").GetString());
        // The code and parameters, for the page to say it in its own words.
        Assert.Equal("recordingFailed", error.GetProperty("code").GetString());
        Assert.Equal(path, error.GetProperty("args").GetProperty("path").GetString());
        Assert.Equal("No space left on device", error.GetProperty("args").GetProperty("error").GetString());
        Assert.Matches(@"^\d+$", error.GetProperty("args").GetProperty("events").GetString());
        JsonElement session = await ui.GetAsync($"/api/sessions/{id}");
        Assert.False(session.GetProperty("recording").GetBoolean());
        Assert.Equal("listening", session.GetProperty("state").GetString());
        byte[] file = await File.ReadAllBytesAsync(path);
        Assert.Equal((byte)'\n', file[^1]);
        Assert.NotEmpty(TranscriptReader.ReadFile(path));
    }

    private static byte[] Bytes(IEnumerable<TranscriptEvent> events, TranscriptDirection dir, bool echo) =>
        [.. events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == dir && e.Echo == echo).SelectMany(e => e.Data.ToArray())];

    [GeneratedRegex(@"^tcp-server-s1-\d{8}-\d{6}\.jsonl$")]
    private static partial Regex TcpServerName();

    [GeneratedRegex(@"^udp-s1-\d{8}-\d{6}\.jsonl$")]
    private static partial Regex UdpName();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
