using System.CommandLine;
using SocketLab.Core.Checksums;

namespace SocketLab.Cli.Commands;

/// <summary><c>--append ALG</c> and <c>--append-order le|be</c>: a checksum after each message a command sends (client, server, udp, expect).</summary>
public sealed class AppendOptionSet
{
    public Option<string> Append { get; } = new("--append") { Description = $"Append a checksum to each message sent (a typed line, --message, a script's send), before --eol: {Checksum.Names} (see 'socketlab checksum list')" };
    public Option<string> AppendOrder { get; } = new("--append-order") { Description = "Byte order of a 2- or 4-byte --append checksum: le or be [default: the algorithm's usual one]" };

    /// <summary>Adds both options and refuses an unknown checksum or order in one line (exit 2).</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Append);
        command.Options.Add(AppendOrder);
        CommonOptions.Validate(command, r =>
        {
            if (!Checksum.TryParse(r.GetValue(Append), r.GetValue(AppendOrder), out _, out _, out bool badOrder, out string? error))
                r.AddError((badOrder ? "--append-order: " : "--append: ") + error);
        });
    }

    /// <summary>The checksum asked for (validated already), or null.</summary>
    public (Checksum Checksum, ByteOrder? Order)? Resolve(ParseResult r) =>
        Checksum.TryParse(r.GetValue(Append), r.GetValue(AppendOrder), out Checksum? c, out ByteOrder? o, out _, out _) && c is not null ? (c, o) : null;
}
