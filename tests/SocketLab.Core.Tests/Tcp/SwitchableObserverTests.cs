using System.Net.Sockets;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>A recorder switched on and off under a running connection, on real loopback sockets.</summary>
public sealed class SwitchableObserverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-switch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task EchoRoundAsync(Socket s, byte[] data)
    {
        await s.SendAsync(data);
        byte[] back = new byte[data.Length];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n = 0;
        while (n < back.Length)
            n += await s.ReceiveAsync(back.AsMemory(n), cts.Token);
        Assert.Equal(data, back);
    }

    [Fact]
    public async Task Only_events_while_a_target_is_set_reach_it()
    {
        var sw = new SwitchableObserver();
        await using var server = new LoopbackServer(new TcpConnectionOptions { Echo = true }, observer: sw);
        using Socket s = await server.ConnectAsync();
        await EchoRoundAsync(s, "before"u8.ToArray());

        string path = Path.Combine(_dir, "t.jsonl");
        using (var writer = new TranscriptWriter(path))
        {
            Assert.Null(sw.Exchange(new TcpTranscriptRecorder(writer, "server")));
            await EchoRoundAsync(s, [0x00, 0xff, 0x0a]);
            Assert.IsType<TcpTranscriptRecorder>(sw.Exchange(null));
            await EchoRoundAsync(s, "after"u8.ToArray());
        }

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(path);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(new byte[] { 0x00, 0xff, 0x0a }, e.Data.ToArray()));
        Assert.Equal([false, true], events.Select(e => e.Echo));
    }

    [Fact]
    public async Task Switching_during_a_flood_gives_whole_lines_and_an_unbroken_run_of_bytes_per_file()
    {
        var sw = new SwitchableObserver();
        var received = new ByteCounter();
        await using var server = new LoopbackServer(new TcpConnectionOptions { Echo = false }, observer: new ObserverFanout(received, sw));
        using Socket s = await server.ConnectAsync();
        byte[] stream = new byte[2_000_000];
        for (int i = 0; i < stream.Length; i++)
            stream[i] = (byte)(i % 251);
        Task flood = Task.Run(async () =>
        {
            for (int off = 0; off < stream.Length; off += 1000)
                {
                await s.SendAsync(stream.AsMemory(off, 1000));
                if (off % 50_000 == 0)
                    await Task.Delay(1); // spread the flood over many switches
            }
        });

        var files = new List<string>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Bytes < stream.Length && DateTime.UtcNow < deadline)
        {
            string path = Path.Combine(_dir, $"part{files.Count}.jsonl");
            files.Add(path);
            var writer = new TranscriptWriter(path);
            sw.Exchange(new TcpTranscriptRecorder(writer, "server"));
            await Task.Delay(5);
            sw.Exchange(null);
            writer.Dispose();
            await Task.Delay(2);
        }
        await flood;
        Assert.Equal(stream.Length, received.Bytes);

        Assert.True(files.Count > 3, $"only {files.Count} switches");
        int recorded = 0;
        foreach (string f in files)
        {
            byte[] run = [.. TranscriptReader.ReadFile(f).SelectMany(e => e.Data.ToArray())];
            for (int i = 1; i < run.Length; i++)
                Assert.Equal((run[i - 1] + 1) % 251, run[i]);
            recorded += run.Length;
        }
        Assert.True(recorded > 0 && recorded < stream.Length, $"{recorded} bytes recorded");
    }

    private sealed class ByteCounter : IConnectionObserver
    {
        private long _bytes;
        public long Bytes => Interlocked.Read(ref _bytes);
        public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) => Interlocked.Add(ref _bytes, data.Length);
    }
}
