using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Hosting;

/// <summary>One JSON shape for the API and the WebSocket: camelCase, enums as lower-case strings, nulls left out.
/// Every type goes through the source-generated <see cref="WebJsonContext"/>, so the NativeAOT build needs no reflection.</summary>
public static class Json
{
    /// <summary>The enum converters (generic ones: the non-generic converter needs runtime code generation).</summary>
    public static IEnumerable<JsonConverter> Converters { get; } =
    [
        new JsonStringEnumConverter<SessionKind>(JsonNamingPolicy.CamelCase),
        new JsonStringEnumConverter<MatchKind>(JsonNamingPolicy.CamelCase),
        new JsonStringEnumConverter<LogDirection>(JsonNamingPolicy.CamelCase),
    ];

    // After Converters: static fields start in the order they are written.
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = WebJsonContext.Default,
        };
        foreach (JsonConverter c in Converters)
            o.Converters.Add(c);
        o.MakeReadOnly();
        return o;
    }

    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>A JSON answer in the API's shape.</summary>
    public static IResult Result<T>(T value, int? statusCode = null) => Results.Json(value, Info<T>(), statusCode: statusCode);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Info<T>());
}
