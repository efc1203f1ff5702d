using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Ports;
using SocketLab.Core.Serial;
using SocketLab.Core.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Serial;

/// <summary>SerialLink on real pseudo-terminal pairs: bytes both ways, settings, a vanishing port, busy and missing ports.</summary>
public sealed class SerialLinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Collects what a link reports.</summary>
    private sealed class Recorder : ISerialObserver
    {
        private readonly MemoryStream _received = new();
        public readonly ConcurrentQueue<byte[]> Sent = new();
        public readonly TaskCompletionSource<(SerialCloseReason Reason, string? Detail)> Closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Received { get { lock (_received) return _received.ToArray(); } }

        public void OnReceived(SerialLink link, ReadOnlySpan<byte> data) { lock (_received) _received.Write(data); }
        public void OnSent(SerialLink link, ReadOnlySpan<byte> data) => Sent.Enqueue(data.ToArray());
        public void OnClosed(SerialLink link, SerialCloseReason reason, string? detail) => Closed.TrySetResult((reason, detail));
    }

    [Fact]
    public async Task Random_bytes_pass_unchanged_both_ways()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using SerialLink link = SerialLink.Open(new SerialSettings(pty.Near));
        var recorder = new Recorder();
        Task<SerialCloseReason> run = link.RunAsync(recorder);
        await using FileStream far = pty.OpenFar();

        byte[] toDevice = new byte[256 * 1024], fromDevice = new byte[256 * 1024];
        Random.Shared.NextBytes(toDevice);
        Random.Shared.NextBytes(fromDevice);
        // The device reads all we send while it sends its own bytes.
        Task<byte[]> deviceReads = Task.Run(() => ReadExactly(far, toDevice.Length));
        Task deviceWrites = Task.Run(() => far.Write(fromDevice));
        for (int i = 0; i < toDevice.Length; i += 4096)
            await link.SendAsync(toDevice.AsMemory(i, 4096), recorder);

        Assert.Equal(toDevice, await deviceReads.WaitAsync(Wait));
        await deviceWrites.WaitAsync(Wait);
        await WaitUntil(() => recorder.Received.Length >= fromDevice.Length);
        Assert.Equal(fromDevice, recorder.Received);
        Assert.Equal(toDevice, recorder.Sent.SelectMany(b => b).ToArray());
        Assert.Equal(toDevice.Length, link.BytesOut);
        Assert.Equal(fromDevice.Length, link.BytesIn);

        link.Close();
        Assert.Equal(SerialCloseReason.LocalClosed, await run.WaitAsync(Wait));
        Assert.Equal(SerialCloseReason.LocalClosed, (await recorder.Closed.Task).Reason);
    }

    /// <remarks>
    /// Linux's pty driver keeps 8 data bits and no parity whatever is asked (pty_set_termios), so on a
    /// pty only the speed and the stop bits can be seen; data bits and parity reach a real UART the same way.
    /// </remarks>
    [Theory]
    [InlineData(9600, StopBits.Two, "speed 9600 baud", " cstopb ")]
    [InlineData(19200, StopBits.One, "speed 19200 baud", " -cstopb ")]
    public async Task Baud_rate_and_stop_bits_are_applied_to_the_port(int baud, StopBits stop, string speed, string stopFlag)
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        var settings = new SerialSettings(pty.Near) { Baud = baud, DataBits = 7, Parity = Parity.Even, StopBits = stop };
        await using SerialLink link = SerialLink.Open(settings);
        string stty = Run("stty", "-F", pty.Near, "-a");
        Assert.Contains(speed, stty);
        Assert.Contains(stopFlag, stty);
    }

    [Fact]
    public async Task A_port_that_vanishes_ends_the_session_as_lost_with_what_arrived_before()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using SerialLink link = SerialLink.Open(new SerialSettings(pty.Near));
        var recorder = new Recorder();
        Task<SerialCloseReason> run = link.RunAsync(recorder);
        await using (FileStream far = pty.OpenFar())
            far.Write("last words"u8);
        await WaitUntil(() => recorder.Received.Length == 10);

        pty.Unplug();

        Assert.Equal(SerialCloseReason.Lost, await run.WaitAsync(Wait));
        (SerialCloseReason reason, string? detail) = await recorder.Closed.Task;
        Assert.Equal(SerialCloseReason.Lost, reason);
        Assert.Contains("went away (unplugged?)", detail);
        Assert.Equal("last words"u8.ToArray(), recorder.Received);
        // Sending to a lost port fails; it does not hang.
        await Assert.ThrowsAnyAsync<Exception>(async () => await link.SendAsync("x"u8.ToArray()).AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task A_second_open_of_a_port_in_use_is_busy_and_names_the_holder()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using SerialLink first = SerialLink.Open(new SerialSettings(pty.Near));
        SerialPortException ex = Assert.Throws<SerialPortException>(() => SerialLink.Open(new SerialSettings(pty.Near)));
        Assert.Equal(SerialErrorKind.Busy, ex.Kind);
        Assert.Contains("is busy", ex.Message);

        // Closing the first frees the port.
        first.Close();
        await using SerialLink second = SerialLink.Open(new SerialSettings(pty.Near));
    }

    [Fact]
    public void Missing_ports_and_files_that_are_not_ports_are_told_apart()
    {
        SerialPortException missing = Assert.Throws<SerialPortException>(() => SerialLink.Open(new SerialSettings("/dev/ttyUSB-socketlab-none")));
        Assert.Equal(SerialErrorKind.Missing, missing.Kind);
        Assert.Contains("socketlab serial list", missing.Message);

        string file = Path.GetTempFileName();
        try
        {
            SerialPortException notSerial = Assert.Throws<SerialPortException>(() => SerialLink.Open(new SerialSettings(file)));
            Assert.Equal(SerialErrorKind.NotSerial, notSerial.Kind);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static byte[] ReadExactly(Stream s, int count)
    {
        byte[] buffer = new byte[count];
        s.ReadExactly(buffer);
        return buffer;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Wait)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(20);
        }
    }

    internal static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return " " + output.Replace('\n', ' ') + " ";
    }
}
