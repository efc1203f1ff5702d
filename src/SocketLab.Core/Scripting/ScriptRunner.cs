using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketLab.Core.Framing;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Text;

namespace SocketLab.Core.Scripting;

public enum FailureKind
{
    /// <summary>An expectation did not hold (wrong data, timed out, closed early).</summary>
    Expectation,
    /// <summary>The script itself is wrong at run time (unknown variable, bad hex, no connection).</summary>
    Script,
    /// <summary>Connecting or sending failed; see <see cref="ScriptFailure.Network"/>.</summary>
    Network,
}

/// <summary>The first step that did not hold, and why, in words a person can act on; <see cref="Cause"/> for a front end's own words.</summary>
public sealed record ScriptFailure(ScriptStep Step, FailureKind Kind, string Message, NetworkErrorKind Network = NetworkErrorKind.Other, Exception? Cause = null);

public sealed record ScriptOutcome(int StepsRun, TimeSpan Elapsed, ScriptFailure? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// Runs an expect script over TCP. Without framing, expectations search the bytes received and
/// not yet matched, and a match consumes everything up to its end; with <c>frame</c>, each
/// expectation takes the next whole frame.
/// </summary>
public sealed class ScriptRunner(IReadOnlyList<ScriptStep> steps, ScriptVariables variables, Action<string> print, Action<string>? trace = null)
{
    /// <summary>A checksum appended to every <c>send</c> (the CLI's <c>expect --append</c>).</summary>
    public (Checksums.Checksum Checksum, Checksums.ByteOrder? Order)? Append { get; init; }

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most unmatched bytes kept while waiting (Tcl expect's <c>match_max</c>): a server that floods while a
    /// script waits costs at most this; older bytes are forgotten (an <c>expect bytes N</c> keeps N).
    /// </summary>
    public const int MatchMax = 1024 * 1024;

    /// <summary>Longest a regex may search once before the expectation fails.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How much unmatched data a failure report shows.</summary>
    private const int Shown = 64;

    private TimeSpan _timeout = DefaultTimeout;
    private Encoding _encoding = new UTF8Encoding(false);
    private FrameSpec _frame = FrameSpec.Raw;
    private IFrameDecoder? _framer;
    private readonly Queue<byte[]> _frames = new();
    private long _frameBytes;
    private long _framesForgotten;
    private Socket? _socket;
    private SocketInbox? _inbox;

    public async Task<ScriptOutcome> RunAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        int run = 0;
        try
        {
            foreach (ScriptStep step in steps)
            {
                trace?.Invoke($"line {step.Line}: {step.Source}");
                ScriptFailure? failure;
                try
                {
                    failure = await RunStepAsync(step, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is UnknownVariableException or ExpansionTooLargeException)
                {
                    failure = new ScriptFailure(step, FailureKind.Script, ex.Message, Cause: ex);
                }
                catch (NetworkException ex)
                {
                    failure = new ScriptFailure(step, FailureKind.Network, ex.Message, ex.Kind, ex);
                }
                catch (SocketException ex)
                {
                    NetworkException n = NetworkException.From(ex, NetworkOperation.Send, null);
                    failure = new ScriptFailure(step, FailureKind.Network, n.Message, n.Kind, n);
                }
                if (failure is not null)
                    return new ScriptOutcome(run, clock.Elapsed, failure);
                run++;
            }
            return new ScriptOutcome(run, clock.Elapsed, null);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task<ScriptFailure?> RunStepAsync(ScriptStep step, CancellationToken ct)
    {
        switch (step)
        {
            case ConnectStep c:
                string target = variables.Expand(c.Target.Raw);
                if (!HostPort.TryParse(target, out HostPort? hp, out string? error))
                    return new ScriptFailure(step, FailureKind.Script, error);
                await CloseAsync().ConfigureAwait(false);
                _socket = await TcpConnector.ConnectAsync(hp.Value.Host, hp.Value.Port, c.Within ?? _timeout, ct).ConfigureAwait(false);
                _socket.NoDelay = true;
                _inbox = new SocketInbox(_socket) { Limit = MatchMax };
                _framer = _frame.CreateDecoder();
                ClearFrames();
                return null;
            case SendStep s:
                if (_socket is null)
                    return new ScriptFailure(step, FailureKind.Script, "not connected (add a 'connect HOST:PORT' line first)");
                variables.Counter++;
                if (!TryBytes(s.Payload, s.Hex, out byte[]? payload, out string? bad))
                    return new ScriptFailure(step, FailureKind.Script, bad);
                if (Append is { } sum)
                    payload = sum.Checksum.Append(payload, sum.Order);
                for (ReadOnlyMemory<byte> rest = payload; !rest.IsEmpty;)
                    rest = rest[await _socket.SendAsync(rest, SocketFlags.None, ct).ConfigureAwait(false)..];
                return null;
            case ExpectStep e:
                if (_inbox is null)
                    return new ScriptFailure(step, FailureKind.Script, "not connected (add a 'connect HOST:PORT' line first)");
                return await ExpectAsync(e, ct).ConfigureAwait(false);
            case SleepStep s:
                await Task.Delay(s.Duration, ct).ConfigureAwait(false);
                return null;
            case CloseStep:
                await CloseAsync().ConfigureAwait(false);
                return null;
            case TimeoutStep t:
                _timeout = t.Duration;
                return null;
            case FrameStep f:
                _frame = f.Spec;
                _framer = f.Spec.CreateDecoder();
                ClearFrames();
                return null;
            case EncodingStep en:
                _encoding = en.Encoding;
                return null;
            case SetStep set:
                if (!TryBytes(set.Value, hex: false, out byte[]? value, out string? badValue))
                    return new ScriptFailure(step, FailureKind.Script, badValue);
                variables.Set(set.Name, _encoding.GetString(value));
                return null;
            case PrintStep p:
                if (!TryBytes(p.Text, hex: false, out byte[]? text, out string? badText))
                    return new ScriptFailure(step, FailureKind.Script, badText);
                print(_encoding.GetString(text));
                return null;
            default:
                throw new InvalidOperationException($"unhandled step {step.GetType().Name}");
        }
    }

    /// <summary>Expands variables and turns the text (escapes and all) or hex into bytes.</summary>
    private bool TryBytes(ScriptText text, bool hex, out byte[] bytes, out string error)
    {
        string expanded = variables.Expand(text.Raw, text.Escaped ? v => v.Replace("\\", "\\\\") : null);
        bool ok;
        byte[]? result;
        string? why;
        if (hex)
            ok = HexParser.TryParse(expanded, out result, out why);
        else if (text.Escaped)
            ok = Escapes.TryDecode(expanded, _encoding, out result, out why);
        else
        {
            result = _encoding.GetBytes(expanded);
            why = null;
            ok = true;
        }
        bytes = result ?? [];
        error = ok ? "" : (hex ? "bad hex: " : "bad text: ") + why;
        return ok;
    }

    private async Task<ScriptFailure?> ExpectAsync(ExpectStep e, CancellationToken ct)
    {
        SocketInbox inbox = _inbox!;
        TimeSpan within = e.Within ?? _timeout;
        byte[]? needle = null;
        Regex? regex = null;
        int count = 0;
        switch (e.Kind)
        {
            case ExpectKind.Text or ExpectKind.Hex:
                if (!TryBytes(e.Argument!, e.Kind == ExpectKind.Hex, out needle, out string? bad))
                    return new ScriptFailure(e, FailureKind.Script, bad);
                break;
            case ExpectKind.Regex:
                try
                {
                    regex = new Regex(variables.Expand(e.Argument!.Raw, Regex.Escape), RegexOptions.None, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    return new ScriptFailure(e, FailureKind.Script, $"bad regex: {ex.Message}");
                }
                break;
            case ExpectKind.Bytes:
                count = int.Parse(e.Argument!.Raw, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        inbox.Limit = Math.Max(MatchMax, count);
        string wanted = e.Kind switch
        {
            ExpectKind.Text => $"\"{Show(needle!)}\"",
            ExpectKind.Hex => $"hex {HexDump.Pairs(needle!)}",
            ExpectKind.Regex => $"/{regex}/",
            ExpectKind.Bytes => $"{count} bytes",
            _ => "the server to close the connection",
        };

        var clock = Stopwatch.StartNew();
        long searchFrom = 0;
        while (true)
        {
            try
            {
                ScriptFailure? framing = null;
                if (e.Kind == ExpectKind.Closed)
                {
                    if (inbox.Closed)
                        return null;
                }
                else if (_frame.IsRaw && needle is not null)
                {
                    // Only what arrived since the last look is searched (plus a needle's length of overlap).
                    int consumed = inbox.Find(needle, searchFrom, out searchFrom);
                    if (consumed >= 0)
                    {
                        inbox.Consume(consumed);
                        return null;
                    }
                }
                else if (_frame.IsRaw)
                {
                    byte[] pending = inbox.Peek();
                    int consumed = Match(e.Kind, pending, needle, regex, count);
                    if (consumed >= 0)
                    {
                        inbox.Consume(consumed);
                        return null;
                    }
                }
                else if ((framing = DrainIntoFrames(e, inbox)) is not null)
                {
                    return framing;
                }
                else if (_frames.TryDequeue(out byte[]? frame))
                {
                    _frameBytes -= frame.Length;
                    bool holds = e.Kind switch
                    {
                        ExpectKind.Text or ExpectKind.Hex => frame.AsSpan().SequenceEqual(needle),
                        ExpectKind.Bytes => frame.Length == count,
                        _ => Match(ExpectKind.Regex, frame, null, regex, 0) >= 0,
                    };
                    return holds ? null : new ScriptFailure(e, FailureKind.Expectation, $"expected {wanted}, got the frame {Describe(frame)}");
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return new ScriptFailure(e, FailureKind.Expectation,
                    $"expected {wanted}, but the regex took over {RegexTimeout.TotalSeconds:0.#} s on the {inbox.Available} bytes received (simplify it: nested repeats such as (a+)+ can take forever); unmatched: {Leftover(inbox)}");
            }

            if (inbox.Closed && e.Kind != ExpectKind.Closed)
                return new ScriptFailure(e, FailureKind.Expectation, $"expected {wanted}, but the connection {(inbox.Error is null ? "was closed by the server" : $"failed: {inbox.Error}")}; unmatched: {Leftover(inbox)}");
            TimeSpan left = within - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                return new ScriptFailure(e, FailureKind.Expectation, $"expected {wanted} within {within.TotalSeconds:0.###} s, timed out; unmatched: {Leftover(inbox)}");
            await inbox.WaitForChangeAsync(left, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Where the match ends in <paramref name="data"/> (bytes to consume), or -1.</summary>
    private int Match(ExpectKind kind, byte[] data, byte[]? needle, Regex? regex, int count)
    {
        switch (kind)
        {
            case ExpectKind.Text or ExpectKind.Hex:
                int at = data.AsSpan().IndexOf(needle);
                return at < 0 ? -1 : at + needle!.Length;
            case ExpectKind.Bytes:
                return data.Length >= count ? count : -1;
            default:
                string text = _encoding.GetString(data);
                Match m = regex!.Match(text);
                if (!m.Success)
                    return -1;
                variables.Capture(m);
                return Math.Min(data.Length, _encoding.GetByteCount(text.AsSpan(0, m.Index + m.Length)));
        }
    }

    private ScriptFailure? DrainIntoFrames(ExpectStep e, SocketInbox inbox)
    {
        byte[] fresh = inbox.Peek();
        inbox.Consume(fresh.Length);
        try
        {
            _framer!.Feed(fresh, f =>
            {
                _frames.Enqueue(f.ToArray());
                _frameBytes += f.Length;
            });
            // Frames nobody expected yet are bounded like raw bytes: the oldest go first.
            while (_frameBytes > MatchMax && _frames.Count > 1)
            {
                int dropped = _frames.Dequeue().Length;
                _frameBytes -= dropped;
                _framesForgotten += dropped;
            }
            return null;
        }
        catch (FrameTooLargeException ex)
        {
            _framer!.Reset();
            return new ScriptFailure(e, FailureKind.Expectation, $"frame {_frame}: {ex.Message}");
        }
    }

    private void ClearFrames()
    {
        _frames.Clear();
        _frameBytes = 0;
    }

    /// <summary>The unmatched bytes for a failure report, and how many older ones match_max made us forget.</summary>
    private string Leftover(SocketInbox inbox)
    {
        long forgotten = inbox.Forgotten + _framesForgotten;
        return Describe(Unmatched(inbox)) + (forgotten > 0 ? $" ({forgotten} earlier bytes forgotten: at most {MatchMax / 1024} KiB unmatched are kept)" : "");
    }

    private byte[] Unmatched(SocketInbox inbox)
    {
        if (_frame.IsRaw || _framer is null)
            return inbox.Peek();
        byte[] held = [.. _frames.SelectMany(f => f), .. inbox.Peek()];
        return held;
    }

    private string Show(ReadOnlySpan<byte> bytes)
    {
        var decoder = new StreamTextDecoder(_encoding);
        return VisibleText.OneLine(decoder.Decode(bytes) + decoder.Flush());
    }

    private string Describe(byte[] data)
    {
        if (data.Length == 0)
            return "nothing";
        ReadOnlySpan<byte> part = data.AsSpan(0, Math.Min(Shown, data.Length));
        string more = data.Length > Shown ? $"… ({data.Length} bytes)" : "";
        return $"\"{Show(part)}\"{more} ({HexDump.Pairs(part)})";
    }

    private async Task CloseAsync()
    {
        if (_inbox is not null)
            await _inbox.DisposeAsync().ConfigureAwait(false);
        if (_socket is not null)
        {
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Dispose();
        }
        _inbox = null;
        _socket = null;
    }
}
