using SocketLab.Core.Serial;

namespace SocketLab.Core.Tests.Serial;

/// <summary>The sysfs walk of SerialPortList on a tree laid out as Linux lays out a CH340 adapter and a legacy 8250 placeholder.</summary>
public sealed class SerialPortListTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("socketlab-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    private void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(_root, relative), target);

    [Fact]
    public void Usb_adapters_are_listed_with_ids_and_names_and_8250_placeholders_are_left_out()
    {
        // devices/…/1-1 is the USB device (ids, names); 1-1:1.0 its interface; ttyUSB0 the serial port.
        string usb = Dir("devices/pci0000:00/usb1/1-1");
        File.WriteAllText(Path.Combine(usb, "idVendor"), "1a86\n");
        File.WriteAllText(Path.Combine(usb, "idProduct"), "7523\n");
        File.WriteAllText(Path.Combine(usb, "manufacturer"), "QinHeng Electronics\n");
        File.WriteAllText(Path.Combine(usb, "product"), "USB Serial\n");
        Dir("devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0");
        Dir("bus/usb-serial/drivers/ch341-uart");
        Dir("bus/usb-serial/devices");
        Link("devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/driver", "../../../../../../bus/usb-serial/drivers/ch341-uart");
        Link("devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/subsystem", "../../../../../../bus/usb-serial");
        Link("devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0/device", "../../../ttyUSB0");

        Dir("devices/platform/serial8250/tty/ttyS1");
        Dir("bus/platform");
        Link("devices/platform/serial8250/subsystem", "../../../bus/platform");
        Link("devices/platform/serial8250/tty/ttyS1/device", "../../../serial8250");

        Dir("devices/virtual/tty/ptmx");
        string classTty = Dir("class/tty");
        Link("class/tty/ttyUSB0", "../../devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0");
        Link("class/tty/ttyS1", "../../devices/platform/serial8250/tty/ttyS1");
        Link("class/tty/ptmx", "../../devices/virtual/tty/ptmx");

        IReadOnlyList<SerialPortInfo> ports = SerialPortList.List(classTty, "/dev");

        SerialPortInfo port = Assert.Single(ports);
        Assert.Equal("/dev/ttyUSB0", port.Name);
        Assert.Equal("1a86", port.VendorId);
        Assert.Equal("7523", port.ProductId);
        Assert.Equal("QinHeng Electronics USB Serial", port.Description);
        Assert.Equal("ch341-uart", port.Driver);
    }

    [Fact]
    public void No_sysfs_means_no_ports_rather_than_an_error()
    {
        Assert.Empty(SerialPortList.List(Path.Combine(_root, "none"), "/dev"));
    }
}
