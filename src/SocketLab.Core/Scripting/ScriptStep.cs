using System.Text;
using SocketLab.Core.Framing;

namespace SocketLab.Core.Scripting;

/// <summary>A string argument as written: double-quoted ones take \-escapes, single-quoted and bare ones are literal.</summary>
public sealed record ScriptText(string Raw, bool Escaped, bool Quoted = false);

public enum ExpectKind
{
    Text,
    Regex,
    Hex,
    Bytes,
    Closed,
}

/// <summary>One line of an expect script; <see cref="Line"/> is 1-based, <see cref="Source"/> the line as written.</summary>
public abstract record ScriptStep(int Line, string Source);

public sealed record ConnectStep(int Line, string Source, ScriptText Target, TimeSpan? Within) : ScriptStep(Line, Source);
public sealed record SendStep(int Line, string Source, ScriptText Payload, bool Hex) : ScriptStep(Line, Source);
public sealed record ExpectStep(int Line, string Source, ExpectKind Kind, ScriptText? Argument, TimeSpan? Within) : ScriptStep(Line, Source);
public sealed record SleepStep(int Line, string Source, TimeSpan Duration) : ScriptStep(Line, Source);
public sealed record CloseStep(int Line, string Source) : ScriptStep(Line, Source);
public sealed record TimeoutStep(int Line, string Source, TimeSpan Duration) : ScriptStep(Line, Source);
public sealed record FrameStep(int Line, string Source, FrameSpec Spec) : ScriptStep(Line, Source);
public sealed record EncodingStep(int Line, string Source, Encoding Encoding) : ScriptStep(Line, Source);
public sealed record SetStep(int Line, string Source, string Name, ScriptText Value) : ScriptStep(Line, Source);
public sealed record PrintStep(int Line, string Source, ScriptText Text) : ScriptStep(Line, Source);
