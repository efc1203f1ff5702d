using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketLab.Core.Serial;
using SocketLab.Web.Hosting;

namespace SocketLab.Web.Api;

/// <summary>GET /api/serial/ports: the serial ports there are, for the serial tab's picker.</summary>
public static class SerialApi
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/serial/ports", () => Json.Result(SerialPortList.List()
            .Select(p => new SerialPortView(p.Name, p.VendorId, p.ProductId, p.Description, p.Driver)).ToArray()));
}

/// <summary>One serial port as the picker lists it.</summary>
public sealed record SerialPortView(string Name, string? Vid, string? Pid, string? Description, string? Driver);
