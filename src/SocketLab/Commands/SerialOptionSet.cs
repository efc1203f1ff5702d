using System.CommandLine;
using System.IO.Ports;
using SocketLab.Core.Serial;

namespace SocketLab.Cli.Commands;

/// <summary><c>--baud --data --parity --stop --flow</c>: how to talk on a serial port (default 115200 8N1, no flow control).</summary>
public sealed class SerialOptionSet
{
    public Option<int> Baud { get; } = CommonOptions.Parsed(
        new Option<int>("--baud", "-b") { Description = $"Baud rate [default: {SerialSettings.DefaultBaud}]", DefaultValueFactory = _ => SerialSettings.DefaultBaud },
        text => (SerialSettings.TryParseBaud(text, out int baud), baud), "a whole number from 50 to 4000000");

    public Option<int> DataBits { get; } = CommonOptions.Parsed(
        new Option<int>("--data") { Description = "Data bits: 5, 6, 7 or 8 [default: 8]", HelpName = "5|6|7|8", DefaultValueFactory = _ => 8 },
        text => text is "5" or "6" or "7" or "8" ? (true, text[0] - '0') : (false, 8), "5, 6, 7 or 8");

    public Option<Parity> Parity { get; } = CommonOptions.Choice("--parity", "Parity", System.IO.Ports.Parity.None);

    public Option<StopBits> Stop { get; } = CommonOptions.Parsed(
        new Option<StopBits>("--stop") { Description = "Stop bits: 1, 1.5 or 2 [default: 1]", HelpName = "1|1.5|2", DefaultValueFactory = _ => StopBits.One },
        text => (SerialSettings.TryParseStopBits(text, out StopBits stop), stop), "1, 1.5 or 2");

    public Option<SerialFlow> Flow { get; } = CommonOptions.Choice("--flow", "Flow control", SerialFlow.None);

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Baud, DataBits, Parity, Stop, Flow })
            command.Options.Add(o);
    }

    public SerialSettings Resolve(ParseResult r, string port) => new(port)
    {
        Baud = r.GetValue(Baud),
        DataBits = r.GetValue(DataBits),
        Parity = r.GetValue(Parity),
        StopBits = r.GetValue(Stop),
        Flow = r.GetValue(Flow),
    };
}
