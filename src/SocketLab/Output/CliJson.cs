using System.Text.Json.Serialization;

namespace SocketLab.Cli.Output;

/// <summary>'checksum --json': one line per computed checksum.</summary>
internal sealed record ChecksumJson(string Algorithm, string Value, string? Order, string Bytes, string Frame);

/// <summary>'send-list --json': one line per step.</summary>
internal sealed record StepJson(int Round, int Step, string Name, bool Ok, int Sent, double Ms, string? Reply, string? Error);

/// <summary>The CLI's --json lines, written by generated code (no reflection, so the NativeAOT build writes them too).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ChecksumJson))]
[JsonSerializable(typeof(StepJson))]
internal sealed partial class CliJson : JsonSerializerContext;
