using System.CommandLine;
using System.Text.Json;
using SocketLab.Core.Serial;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab serial list</c>: the serial ports there are, with USB ids and names on Linux.</summary>
public static class SerialListCommand
{
    public static Command Create()
    {
        Option<bool> json = new("--json") { Description = "Print the ports as one JSON array" };
        var command = new Command("list", "List serial ports (on Linux with the USB vendor:product and name from sysfs)") { json };
        command.SetAction(r =>
        {
            IReadOnlyList<SerialPortInfo> ports = SerialPortList.List();
            if (r.GetValue(json))
            {
                using var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                writer.WriteStartArray();
                foreach (SerialPortInfo p in ports)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", p.Name);
                    WriteOptional(writer, "vid", p.VendorId);
                    WriteOptional(writer, "pid", p.ProductId);
                    WriteOptional(writer, "description", p.Description);
                    WriteOptional(writer, "serial_number", p.SerialNumber);
                    WriteOptional(writer, "driver", p.Driver);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.Flush();
                Console.Out.WriteLine();
                return ExitCodes.Ok;
            }
            if (ports.Count == 0)
            {
                Console.Error.WriteLine("socketlab serial list: no serial ports found (is the board plugged in? a USB cable for charging only carries no data)");
                return ExitCodes.Ok;
            }
            int width = ports.Max(p => p.Name.Length);
            foreach (SerialPortInfo p in ports)
                Console.Out.WriteLine(Describe(p, width));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"/dev/ttyUSB0  1a86:7523  QinHeng Electronics USB Serial (ch341-uart)".</summary>
    public static string Describe(SerialPortInfo p, int width)
    {
        var parts = new List<string> { p.Name.PadRight(width) };
        if (p.VendorId is not null)
            parts.Add($"{p.VendorId}:{p.ProductId}");
        if (p.Description is not null)
            parts.Add(p.Description);
        if (p.Driver is not null)
            parts.Add($"({p.Driver})");
        return string.Join("  ", parts).TrimEnd();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }
}
