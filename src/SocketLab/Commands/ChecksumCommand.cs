using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SocketLab.Cli.Output;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab checksum ALG DATA…</c>: a frame's checksum as it goes on the wire (the same Core code the page and <c>--append</c> use).</summary>
public static class ChecksumCommand
{
    public static Command Create()
    {
        Argument<string> algorithm = new("algorithm") { Description = $"One of: {Checksum.Names} (or 'list')" };
        Argument<string[]> data = new("data") { Description = "The bytes, as hex (01 03 00 00 00 0A); with --text, the text", Arity = ArgumentArity.ZeroOrMore };
        Option<bool> text = new("--text", "-t") { Description = "The data is text (in --encoding, with --escapes if given), not hex" };
        Option<bool> escapes = new("--escapes") { Description = @"With --text: read \r \n \t \0 \\ \xNN \uNNNN" };
        Option<string> encoding = CommonOptions.Encoding();
        Option<string> order = new("--order") { Description = "Byte order of a 2- or 4-byte checksum: le (low byte first) or be [default: the algorithm's usual one]" };
        Option<bool> frame = new("--frame", "-f") { Description = "Print the whole frame (data then checksum), not only the checksum" };
        Option<bool> json = new("--json") { Description = "Print one JSON object" };

        var command = new Command("checksum", "Compute a checksum (CRC-16/MODBUS, CRC-32, XOR, SUM8, LRC…) as it goes on the wire")
        {
            algorithm, data, text, escapes, encoding, order, frame, json,
        };
        command.SetAction(r =>
        {
            string name = r.GetValue(algorithm)!;
            if (name is "list")
            {
                foreach (Checksum c in Checksum.All)
                    Console.Out.WriteLine($"{c.Name,-18} {c.Size} byte{(c.Size > 1 ? "s" : "")}, {(c.Size > 1 ? (c.DefaultOrder == ByteOrder.LittleEndian ? "low byte first" : "high byte first") + ", " : "")}{c.Title}");
                return ExitCodes.Ok;
            }
            if (!Checksum.TryParse(name, r.GetValue(order), out Checksum? checksum, out ByteOrder? byteOrder, out bool badOrder, out string? wrong) || checksum is null)
                return Usage(badOrder ? $"--order: {wrong}" : wrong ?? $"unknown checksum '{name}' (use one of: {Checksum.Names})");
            string joined = string.Join(' ', r.GetValue(data) ?? []);
            var payload = new Payload(TextEncodings.Get(r.GetValue(encoding)!), Hex: !r.GetValue(text), Escapes: r.GetValue(escapes));
            byte[] body;
            if (joined.Length == 0)
                body = [];
            else if (!payload.TryBuild(joined, out byte[]? built, out _, out string? error))
                return Usage(r.GetValue(text) ? error : $"bad hex: {error} (use --text for text)");
            else
                body = built;
            byte[] sum = checksum.Bytes(body, byteOrder);
            ByteOrder used = byteOrder ?? checksum.DefaultOrder;
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new ChecksumJson(
                    checksum.Name,
                    "0x" + checksum.Compute(body).ToString(checksum.Size == 1 ? "X2" : checksum.Size == 2 ? "X4" : "X8", CultureInfo.InvariantCulture),
                    checksum.Size == 1 ? null : used == ByteOrder.LittleEndian ? "le" : "be",
                    HexDump.Pairs(sum),
                    HexDump.Pairs([.. body, .. sum])), CliJson.Default.ChecksumJson));
            }
            else
            {
                Console.Out.WriteLine(HexDump.Pairs(r.GetValue(frame) ? [.. body, .. sum] : sum));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"socketlab checksum: {message}");
        return ExitCodes.Usage;
    }
}
