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
        app.MapGet("/api/serial/ports", () => Results.Json(SerialPortList.List().Select(p => new
        {
            name = p.Name,
            vid = p.VendorId,
            pid = p.ProductId,
            description = p.Description,
            driver = p.Driver,
        }), Json.Options));
}
