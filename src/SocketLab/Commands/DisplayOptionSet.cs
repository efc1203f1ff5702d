using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Commands;

/// <summary>The display and input options that server and client share, added to a command together.</summary>
public sealed class DisplayOptionSet
{
    public Option<string> Encoding { get; } = CommonOptions.Encoding();
    public Option<InvalidBytes> Invalid { get; } = CommonOptions.Choice("--invalid", "How bytes invalid in the encoding are shown", InvalidBytes.Escape);
    public Option<bool> Hex { get; } = new("--hex", "-x") { Description = "Show data as a hex+ASCII dump and read typed input as hex (both --out hex and --in hex)" };
    public Option<DataView> Out { get; } = CommonOptions.Choice("--out", "How received data is shown", DataView.Text);
    public Option<DataView> In { get; } = CommonOptions.Choice("--in", "How typed input is read", DataView.Text);
    public Option<bool> ShowEol { get; } = new("--show-eol") { Description = "Show CR, LF and NUL as ␍ ␊ ␀" };
    public Option<bool> Raw { get; } = new("--raw") { Description = "Print a peer's CR (not before LF) and bidi controls (U+202E…) as sent instead of escaping them; a peer can then overwrite or reorder lines" };
    public Option<LineEnding> Eol { get; } = CommonOptions.Choice("--eol", "Line ending appended to each typed line", LineEnding.None);
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Do not print each message (for load tests)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON event per line instead of text" };
    public Option<bool> Escapes { get; } = new("--escapes") { Description = @"Read \r \n \t \0 \\ \xNN \uNNNN in typed text" };
    public Option<bool> Macros { get; } = new("--macros") { Description = "Expand field macros in typed text: {{counter}}, {{counter:START,STEP}}, {{time:HH:mm:ss.fff}}, {{unix_ms}}, {{random:N}}, {{hex:01 02}}, {{file:PATH}}" };
    public AppendOptionSet Append { get; } = new();
    public Option<PrintStyle> Print { get; } = CommonOptions.Choice("--print", "How received data is printed (bytes: b'...' as the board's print(data), in recv(1024) pieces)", PrintStyle.Text);
    public Option<bool> Oled { get; } = new("--oled") { Description = "Show a live panel of the board's OLED, drawn as the seed's program draws it (see docs/oled.md)" };

    /// <summary>Adds the options; <paramref name="oled"/> false leaves out <c>--oled</c>, <paramref name="print"/> true adds <c>--print</c>.</summary>
    public void AddTo(Command command, bool oled = true, bool print = false)
    {
        foreach (Option o in new Option[] { Encoding, Invalid, Hex, Out, In, ShowEol, Raw, Eol, Escapes, Macros })
            command.Options.Add(o);
        Append.AddTo(command);
        command.Options.Add(Quiet);
        command.Options.Add(Json);
        if (print)
        {
            command.Options.Add(Print);
            CommonOptions.Validate(command, r =>
            {
                if (CommonOptions.Given(r, Print) == PrintStyle.Bytes && (r.GetValue(Hex) || CommonOptions.Given(r, Out) == DataView.Hex || r.GetValue(Json)))
                    r.AddError("--print bytes is a way to show data; it cannot be combined with --hex, --out hex or --json");
            });
        }
        if (!oled)
            return;
        command.Options.Add(Oled);
        CommonOptions.Validate(command, r =>
        {
            if (r.GetValue(Oled) && r.GetValue(Json))
                r.AddError("--oled draws a panel on the terminal and cannot be combined with --json");
        });
    }

    /// <summary>Only the options that say how data is shown (encoding, --hex, --show-eol, --raw, --quiet, --json): for commands that pass bytes on and type none (relay, bridge).</summary>
    public void AddViewTo(Command command)
    {
        foreach (Option o in new Option[] { Encoding, Invalid, Hex, ShowEol, Raw, Quiet, Json })
            command.Options.Add(o);
    }

    /// <summary>The display of a command built with <see cref="AddViewTo"/>.</summary>
    public DisplayOptions View(ParseResult r, bool prefix) => new()
    {
        Encoding = TextEncodings.Get(r.GetValue(Encoding)!),
        Invalid = r.GetValue(Invalid),
        View = r.GetValue(Hex) ? DataView.Hex : DataView.Text,
        ShowEol = r.GetValue(ShowEol),
        Raw = r.GetValue(Raw),
        Json = r.GetValue(Json),
        Quiet = r.GetValue(Quiet),
        Prefix = prefix,
    };

    public DisplayOptions Display(ParseResult r, bool prefix) => new()
    {
        Encoding = TextEncodings.Get(r.GetValue(Encoding)!),
        Invalid = r.GetValue(Invalid),
        View = r.GetValue(Hex) ? DataView.Hex : r.GetValue(Out),
        Print = r.GetResult(Print) is null ? PrintStyle.Text : r.GetValue(Print),
        ShowEol = r.GetValue(ShowEol),
        Raw = r.GetValue(Raw),
        Json = r.GetValue(Json),
        Quiet = r.GetValue(Quiet),
        Prefix = prefix,
    };

    public SendInput Input(ParseResult r)
    {
        (Checksum Checksum, ByteOrder? Order)? append = Append.Resolve(r);
        return new SendInput(
            TextEncodings.Get(r.GetValue(Encoding)!),
            r.GetValue(Hex) || r.GetValue(In) == DataView.Hex,
            r.GetValue(Eol),
            r.GetValue(Escapes),
            append?.Checksum,
            append?.Order,
            r.GetValue(Macros) ? new MacroContext() : null);
    }
}
