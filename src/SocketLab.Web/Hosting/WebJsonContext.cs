using System.Text.Json;
using System.Text.Json.Serialization;
using SocketLab.Web.Api;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Hosting;

/// <summary>Every type the page's API and WebSocket read or write, serialized by generated code (see <see cref="Json"/>).
/// A type that reaches the serializer only as <c>object</c> (session details, events) must be listed here too.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionApi.CreateRequest))]
[JsonSerializable(typeof(SessionApi.SettingsRequest))]
[JsonSerializable(typeof(SessionApi.RecordRequest))]
[JsonSerializable(typeof(SessionApi.ButtonRequest))]
[JsonSerializable(typeof(CommandListApi.RunRequest))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(SendRequest))]
[JsonSerializable(typeof(AutoReplyRule[]))]
[JsonSerializable(typeof(IReadOnlyList<AutoReplyRule>))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(IEnumerable<SessionView>))]
[JsonSerializable(typeof(IEnumerable<LogEntryView>))]
[JsonSerializable(typeof(LogEntryView))]
[JsonSerializable(typeof(ApiInfo))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(SendAnswer))]
[JsonSerializable(typeof(FileAnswer))]
[JsonSerializable(typeof(HistoryPage))]
[JsonSerializable(typeof(IReadOnlyList<History.HistoryStore.PastSession>))]
[JsonSerializable(typeof(ExportLine))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(HelloEvent[]))]
[JsonSerializable(typeof(SessionChangedEvent))]
[JsonSerializable(typeof(SessionRemovedEvent))]
[JsonSerializable(typeof(LogEvent))]
[JsonSerializable(typeof(RelogEvent))]
[JsonSerializable(typeof(ClearedEvent))]
[JsonSerializable(typeof(OledEvent))]
[JsonSerializable(typeof(RepeatEvent))]
[JsonSerializable(typeof(FileEvent))]
[JsonSerializable(typeof(StatsEvent))]
[JsonSerializable(typeof(VerifyView))]
[JsonSerializable(typeof(RepeatView))]
[JsonSerializable(typeof(ListRunView))]
[JsonSerializable(typeof(TcpServerDetails))]
[JsonSerializable(typeof(TcpClientDetails))]
[JsonSerializable(typeof(UdpDetails))]
[JsonSerializable(typeof(BoardDetails))]
[JsonSerializable(typeof(SerialDetails))]
[JsonSerializable(typeof(RelayDetails))]
[JsonSerializable(typeof(SerialPortView[]))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
