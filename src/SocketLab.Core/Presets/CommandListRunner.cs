using System.Diagnostics;
using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Presets;

/// <summary>How one step of a run went.</summary>
public sealed record StepResult(int Round, int Index, CommandStep Step, int Sent, bool Ok, TimeSpan Elapsed, byte[]? Reply, string? Failure);

/// <summary>
/// Runs a command list over any connection: builds each step's bytes (fields anew each time), sends them,
/// waits for the expected reply when there is one, pauses, and goes on — <see cref="CommandList.Repeat"/>
/// rounds, stopping at the first step that cannot be built or sent or whose reply does not come in time.
/// </summary>
public sealed class CommandListRunner(Func<byte[], CancellationToken, Task> send, ReplyWatch replies, Encoding encoding, MacroContext macros)
{
    /// <summary>Runs <paramref name="list"/>; <paramref name="report"/> hears each step. True when every step passed.</summary>
    public async Task<bool> RunAsync(CommandList list, int? repeat, Action<StepResult> report, CancellationToken cancellationToken)
    {
        int rounds = repeat ?? list.Repeat;
        for (int round = 1; round <= rounds; round++)
        {
            for (int i = 0; i < list.Commands.Count; i++)
            {
                CommandStep step = list.Commands[i];
                var clock = Stopwatch.StartNew();
                if (!step.TryPayload(encoding, macros, out byte[]? bytes, out string? error))
                {
                    report(new StepResult(round, i, step, 0, false, clock.Elapsed, null, error));
                    return false;
                }
                replies.Reset();
                try
                {
                    await send(bytes, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    report(new StepResult(round, i, step, 0, false, clock.Elapsed, null, $"send failed: {ex.Message}"));
                    return false;
                }
                byte[]? expected = step.ExpectedBytes(encoding);
                if (expected is not null && !await replies.WaitForAsync(expected, TimeSpan.FromMilliseconds(step.TimeoutMs), cancellationToken).ConfigureAwait(false))
                {
                    byte[] got = replies.Received();
                    report(new StepResult(round, i, step, bytes.Length, false, clock.Elapsed, got,
                        $"no reply containing {(step.ExpectHex ? HexDump.Pairs(expected) : $"\"{step.Expect}\"")} within {step.TimeoutMs} ms"
                        + (got.Length > 0 ? $" (got {got.Length} bytes: {HexDump.Pairs(got.AsSpan(0, Math.Min(got.Length, 32)))}{(got.Length > 32 ? " …" : "")})" : " (nothing came)")));
                    return false;
                }
                report(new StepResult(round, i, step, bytes.Length, true, clock.Elapsed, expected is null ? null : replies.Received(), null));
                if (step.DelayMs > 0)
                    await Task.Delay(step.DelayMs, cancellationToken).ConfigureAwait(false);
            }
        }
        return true;
    }
}
