using System.IO.Ports;

namespace SocketLab.Core.Serial;

/// <summary>A serial port on this machine; on Linux a USB adapter also has its vendor:product ids and names.</summary>
public sealed record SerialPortInfo(string Name)
{
    /// <summary>USB vendor id as 4 hex digits (1a86 for the CH340 the 掌控板 uses), or null.</summary>
    public string? VendorId { get; init; }
    public string? ProductId { get; init; }
    /// <summary>"QinHeng Electronics USB Serial", from the USB descriptors; null when not USB.</summary>
    public string? Description { get; init; }
    public string? SerialNumber { get; init; }
    /// <summary>The kernel driver (ch341-uart, cp210x, ftdi_sio, cdc_acm, serial8250…).</summary>
    public string? Driver { get; init; }
}

/// <summary>Lists serial ports: on Linux from sysfs (/sys/class/tty), elsewhere the names .NET knows.</summary>
public static class SerialPortList
{
    public static IReadOnlyList<SerialPortInfo> List() =>
        OperatingSystem.IsLinux() ? List("/sys/class/tty", "/dev") : [.. SerialPort.GetPortNames().Order(StringComparer.Ordinal).Select(n => new SerialPortInfo(n))];

    /// <summary>
    /// The ports under a sysfs tty folder (<paramref name="sysClassTty"/>) whose device nodes are in <paramref name="dev"/>.
    /// A tty counts when it has a device behind it; the 8250 placeholders the kernel makes for
    /// every possible legacy port (ttyS0…ttyS31, platform devices) are left out, as pyserial and udev do.
    /// </summary>
    public static IReadOnlyList<SerialPortInfo> List(string sysClassTty, string dev)
    {
        if (!Directory.Exists(sysClassTty))
            return [];
        var ports = new List<SerialPortInfo>();
        foreach (string tty in Directory.EnumerateFileSystemEntries(sysClassTty))
        {
            string device = Path.Combine(tty, "device");
            if (!Directory.Exists(device))
                continue;
            string real = RealPath(Path.Combine(RealPath(tty), "device"));
            string? subsystem = LinkName(Path.Combine(real, "subsystem"));
            if (subsystem == "platform")
                continue;
            string name = Path.GetFileName(tty);
            string? usb = UsbDeviceOf(real);
            ports.Add(new SerialPortInfo(Path.Combine(dev, name))
            {
                // Newer kernels put a serial-base "port" device between the tty and the real one.
                Driver = LinkName(Path.Combine(subsystem == "serial-base" ? Path.GetDirectoryName(Path.GetDirectoryName(real)!)! : real, "driver")),
                VendorId = usb is null ? null : Read(usb, "idVendor"),
                ProductId = usb is null ? null : Read(usb, "idProduct"),
                Description = usb is null ? null : string.Join(' ', new[] { Read(usb, "manufacturer"), Read(usb, "product") }.Where(s => s is not null)) is { Length: > 0 } d ? d : null,
                SerialNumber = usb is null ? null : Read(usb, "serial"),
            });
        }
        return [.. ports.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The USB device folder above a tty's device (the first ancestor with an idVendor file), or null.</summary>
    private static string? UsbDeviceOf(string device)
    {
        DirectoryInfo? dir = new(device);
        for (int depth = 0; dir is not null && depth < 8; depth++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "idVendor")))
                return dir.FullName;
        }
        return null;
    }

    /// <summary>The folder a sysfs link points to, so ".." climbs the device tree rather than the link's own folder.</summary>
    private static string RealPath(string path)
    {
        try
        {
            return new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string? LinkName(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is { } target ? Path.GetFileName(target) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Read(string dir, string file)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(dir, file)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
