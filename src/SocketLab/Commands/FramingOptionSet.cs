using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Framing;
using SocketLab.Core.Tcp;

namespace SocketLab.Cli.Commands;

/// <summary><c>--frame SPEC</c> and <c>--frame-max</c>: how received TCP data is cut into messages for display.</summary>
public sealed class FramingOptionSet
{
    public Option<FrameSpec> Frame { get; } = new("--frame")
    {
        Description = $"Show received data as messages: {string.Join(", ", FrameSpec.Forms)} (display only; echo stays byte-exact) [default: raw]",
        DefaultValueFactory = _ => FrameSpec.Raw,
        CustomParser = r => CommonOptions.Parse(r, text => (FrameSpec.TryParse(text, out FrameSpec? spec, out _), spec!),
            text => { FrameSpec.TryParse(text, out _, out string? error); return $"--frame: {error}"; }, FrameSpec.Raw),
    };

    public Option<long> MaxFrame { get; } = CommonOptions.Size("--frame-max", $"With --frame: longest message shown as one; longer ones fall back to raw [default: {FrameSpec.DefaultMaxFrameSize / 1024 / 1024}M]", FrameSpec.DefaultMaxFrameSize);

    public void AddTo(Command command)
    {
        command.Options.Add(Frame);
        command.Options.Add(MaxFrame);
    }

    /// <summary>The framer for streams that are not TCP connections of server or client (serial, relay, bridge); null for raw.</summary>
    public DisplayFramer? Framer(ParseResult r, ConsoleSink sink)
    {
        FrameSpec spec = r.GetValue(Frame)!;
        return spec.IsRaw ? null : new DisplayFramer(spec, (int)Math.Clamp(r.GetValue(MaxFrame), 1, int.MaxValue), sink.Error);
    }

    /// <summary>The console observer, behind a framer when one was asked for.</summary>
    public IConnectionObserver Wrap(ParseResult r, IConnectionObserver display, ConsoleSink sink)
    {
        FrameSpec spec = r.GetValue(Frame)!;
        return spec.IsRaw ? display : new FramedObserver(spec, (int)Math.Clamp(r.GetValue(MaxFrame), 1, int.MaxValue), display, sink.Error);
    }
}
