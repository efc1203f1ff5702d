using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Tcp;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Tests.Transcripts;

public sealed class TranscriptWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-transcript-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TranscriptEvent DataEvent(long conn, TranscriptDirection dir, byte[] data) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = "tcp",
        Role = "client",
        Connection = conn,
        Kind = TranscriptEventKind.Data,
        Direction = dir,
        Local = "127.0.0.1:40000",
        Remote = "127.0.0.1:5001",
        Data = data,
    };

    [Fact]
    public void Events_round_trip_byte_exact_and_each_is_on_disk_as_soon_as_written()
    {
        string path = Path.Combine(_dir, "t.jsonl");
        byte[] binary = [0x00, 0xff, 0x0d, 0x0a, 0xe4, 0xbd];
        using var writer = new TranscriptWriter(path);
        writer.Write(DataEvent(3, TranscriptDirection.Out, binary));

        // Read while the writer is still open: the line must already be there.
        string[] lines = ReadShared(path);
        Assert.Single(lines);
        Assert.Contains("\"bytes\":6", lines[0]);

        writer.Write(new TranscriptEvent { Time = DateTimeOffset.Now, Protocol = "tcp", Connection = 3, Kind = TranscriptEventKind.Close, Reason = "reset", Detail = "connection reset by peer" });
        IReadOnlyList<TranscriptEvent> events = TranscriptReader.Read(new StringReader(string.Join('\n', ReadShared(path))));
        Assert.Equal(2, events.Count);
        Assert.Equal(binary, events[0].Data.ToArray());
        Assert.Equal(TranscriptDirection.Out, events[0].Direction);
        Assert.Equal("client", events[0].Role);
        Assert.Equal(TranscriptEventKind.Close, events[1].Kind);
        Assert.Equal("reset", events[1].Reason);
    }

    [Fact]
    public void On_a_full_disk_the_recording_stops_once_without_throwing_and_the_file_ends_on_a_whole_line()
    {
        using var disk = new SmallDisk("64k");
        string path = Path.Combine(disk.Path, "full.jsonl");
        var told = new List<string>();
        using var writer = new TranscriptWriter(path);
        writer.Failed += told.Add;
        for (int i = 0; i < 100; i++)
            writer.Write(DataEvent(1, TranscriptDirection.In, new byte[3000])); // ~4 KiB a line: full after ~15.

        string why = Assert.Single(told);
        Assert.Contains($"recording stopped: cannot write '{path}': No space left on device", why);
        Assert.Contains("No space left on device", writer.Failure);
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal((byte)'\n', file[^1]);
        Assert.Equal(writer.EventsWritten, TranscriptReader.ReadFile(path).Count);
        Assert.InRange(writer.EventsWritten, 5, 20);
    }

    [Fact]
    public void Recording_to_dev_full_stops_with_a_reason_instead_of_throwing()
    {
        using var writer = new TranscriptWriter("/dev/full");
        string? told = null;
        writer.Failed += why => told = why;
        writer.Write(DataEvent(1, TranscriptDirection.In, "x"u8.ToArray()));
        writer.Write(DataEvent(1, TranscriptDirection.In, "y"u8.ToArray()));
        Assert.Equal("recording stopped: cannot write '/dev/full': No space left on device (0 events recorded, the file ends on a whole line)", told);
        Assert.Equal(0, writer.EventsWritten);
    }

    [Fact]
    public void Rotation_keeps_every_file_under_the_limit_and_the_newest_events_in_the_main_file()
    {
        string path = Path.Combine(_dir, "r.jsonl");
        using (var writer = new TranscriptWriter(path, maxBytes: 1000, keepFiles: 2))
        {
            for (int i = 0; i < 40; i++)
                writer.Write(DataEvent(i, TranscriptDirection.In, new byte[50]));
        }
        string[] files = Directory.GetFiles(_dir).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(["r.1.jsonl", "r.2.jsonl", "r.jsonl"], files);
        foreach (string f in Directory.GetFiles(_dir))
            Assert.True(new FileInfo(f).Length <= 1000, $"{f} is {new FileInfo(f).Length} bytes");
        IReadOnlyList<TranscriptEvent> newest = TranscriptReader.ReadFile(path);
        Assert.Equal(39, newest[^1].Connection);
        Assert.True(TranscriptReader.ReadFile(TranscriptWriter.RotatedPath(path, 1))[^1].Connection == newest[0].Connection - 1);
    }

    [Fact]
    public void A_bad_line_is_reported_with_its_line_number()
    {
        var ex = Assert.Throws<TranscriptFormatException>(() => TranscriptReader.Read(new StringReader("\n{\"event\":\"data\"}\n"), "x.jsonl"));
        Assert.StartsWith("x.jsonl:2:", ex.Message);
    }

    [Fact]
    public async Task Tcp_recorder_writes_open_data_echo_and_close_of_a_real_connection()
    {
        string path = Path.Combine(_dir, "server.jsonl");
        using var writer = new TranscriptWriter(path);
        var closed = new TaskCompletionSource();
        await using var server = new TcpServer(new TcpServerOptions { Port = 0, BindAddress = IPAddress.Loopback },
            new ObserverFanout(new TcpTranscriptRecorder(writer, "server"), new CloseSignal(closed)));
        server.Start();

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(server.LocalEndPoint);
            await client.SendAsync("ping"u8.ToArray());
            byte[] buffer = new byte[4];
            int got = 0;
            while (got < 4)
                got += await client.ReceiveAsync(buffer.AsMemory(got));
            client.Shutdown(SocketShutdown.Send);
            while (await client.ReceiveAsync(buffer) > 0) { }
        }
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.Read(new StringReader(string.Join('\n', ReadShared(path))));
        Assert.Equal([TranscriptEventKind.Open, TranscriptEventKind.Data, TranscriptEventKind.Data, TranscriptEventKind.Close], events.Select(e => e.Kind));
        Assert.Equal("ping"u8.ToArray(), events[1].Data.ToArray());
        Assert.Equal(TranscriptDirection.In, events[1].Direction);
        Assert.True(events[2].Echo);
        Assert.Equal(TranscriptDirection.Out, events[2].Direction);
        Assert.Equal("remote_closed", events[3].Reason);
        Assert.All(events, e => Assert.Equal($"127.0.0.1:{server.LocalEndPoint.Port}", e.Local));
    }

    private static string[] ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed class CloseSignal(TaskCompletionSource done) : IConnectionObserver
    {
        public void OnClosed(TcpConnection connection, CloseReason reason, string? detail) => done.TrySetResult();
    }
}
