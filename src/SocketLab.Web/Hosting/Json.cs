using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketLab.Web.Hosting;

/// <summary>One JSON shape for the API and the WebSocket: camelCase, enums as lower-case strings.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return o;
    }
}
