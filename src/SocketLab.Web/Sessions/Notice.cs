using System.Globalization;
using System.Text.RegularExpressions;
using SocketLab.Core.Net;

namespace SocketLab.Web.Sessions;

/// <summary>
/// Something a session tells its user — a log note, an error, a refused request — as a stable
/// <see cref="Code"/> with parameters, so the page words it in the user's language (wwwroot/i18n.js
/// has one string per code). <see cref="Text"/> is the English wording, kept for exports, the
/// history's text search and API clients. An argument named <c>why</c> holds another code (a reason).
/// </summary>
public sealed partial record Notice(string Code, IReadOnlyDictionary<string, string> Args, string Text)
{
    public static Notice Of(string code, string text, params (string Key, object? Value)[] args) =>
        new(code, args.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""), text);

    // Session life.
    public static Notice Listening(string address) => Of("listening", $"listening on {address}", ("address", address));
    public static Notice StoppedListening() => Of("stoppedListening", "stopped listening");
    public static Notice ClientConnected(string peer, long id) => Of("clientConnected", $"{peer} connected (client #{id})", ("peer", peer), ("id", id));
    public static Notice ClientDisconnected(string peer, long id, string why, string? detail) =>
        Of("clientDisconnected", $"{peer} disconnected (client #{id}): {Why(why, detail)}", ("peer", peer), ("id", id), ("why", why), ("detail", detail));
    public static Notice ConnectedTo(string remote, string local) => Of("connectedTo", $"connected to {remote} from {local}", ("remote", remote), ("local", local));
    public static Notice Disconnected(string why, string? detail) => Of("disconnected", $"close socket ({Why(why, detail)})", ("why", why), ("detail", detail));
    public static Notice Reconnecting(string target, double seconds) =>
        Of("reconnecting", $"reconnecting to {target} in {seconds:0.0} s", ("target", target), ("seconds", seconds.ToString("0.0", CultureInfo.InvariantCulture)));
    public static Notice UdpOpen(int port, string reachable) => Of("udpOpen", $"open on UDP port {port}; the board sends to {reachable}", ("port", port), ("reachable", reachable));
    public static Notice UdpReceiveOnly(int port, string reachable) => Of("udpReceiveOnly", $"receiving only on UDP port {port}; the board sends to {reachable}", ("port", port), ("reachable", reachable));
    public static Notice UdpClosed() => Of("udpClosed", "closed");
    public static Notice NoReply(int timeoutMs) =>
        Of("noReply", $"no reply within {timeoutMs / 1000.0:0.###} s (read timeout)", ("seconds", (timeoutMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)));
    public static Notice Recording(string path) => Of("recording", $"recording to {path}", ("path", path));
    public static Notice RecordingStopped(string path) => Of("recordingStopped", $"recording stopped: {path}", ("path", path));
    public static Notice SendingFile(string name, long? length) =>
        Of("sendingFile", $"sending file {name} ({(length is { } l ? $"{l} bytes" : "size unknown")})", ("name", name), ("bytes", length?.ToString(CultureInfo.InvariantCulture) ?? "?"));
    public static Notice SentFile(string name, long bytes) => Of("sentFile", $"sent file {name}: {bytes} bytes", ("name", name), ("bytes", bytes));
    public static Notice RepeatStopped(Notice reason) =>
        new("repeatStopped", new Dictionary<string, string>(reason.Args) { ["inner"] = reason.Code }, $"repeat stopped: {reason.Text}");
    public static Notice ListStopped(string list, Notice reason) =>
        new("listAborted", new Dictionary<string, string>(reason.Args) { ["inner"] = reason.Code, ["list"] = list }, $"{list}: stopped: {reason.Text}");
    /// <summary>The loop guard cut a ping-pong with an end that echoes too; <paramref name="client"/> is set when only that client's echo went off.</summary>
    public static Notice EchoLoop(string peer, long? client, EchoLoopInfo loop)
    {
        string seconds = loop.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        string what = $"the same {loop.PayloadLength} bytes came back {loop.Count} times in {seconds} s (the other end echoes too)";
        return client is { } id
            ? Of("echoLoopClient", $"echo loop with client #{id} ({peer}): {what}; echo to that client is off now — its Echo button in the Clients list turns it back on",
                ("peer", peer), ("id", id), ("count", loop.Count), ("bytes", loop.PayloadLength), ("seconds", seconds))
            : Of("echoLoop", $"echo loop with {peer}: {what}; echo is off now — tick \"Echo received data\" to turn it back on",
                ("peer", peer), ("count", loop.Count), ("bytes", loop.PayloadLength), ("seconds", seconds));
    }

    public static Notice AutoReplyFailed(string peer, string detail) => Of("autoReplyFailed", $"auto-reply to {peer} failed: {detail}", ("peer", peer), ("detail", detail));
    public static Notice Warning(string text) => Of("warning", text, ("text", text));

    // Failures of the socket work the user asked for, by the kind of network error.
    public static Notice ListenFailed(string address, NetworkException ex) => Network("listenFailed", $"cannot listen on {address}", ("address", address), ex);
    public static Notice ConnectFailed(string target, NetworkException ex) => Network("connectFailed", $"cannot connect to {target}", ("target", target), ex);
    public static Notice SendFailed(string target, NetworkException ex) => Network("sendFailed", $"cannot send to {target}", ("target", target), ex);

    /// <summary>A send that failed because the connection went away mid-send (its receive loop logs why).</summary>
    public static Notice SendAborted(string detail) => Of("sendAborted", $"send failed: {detail}", ("detail", detail));

    // Requests the session refuses.
    public static Notice PortRange(int min) => Of("portRange", $"port must be {min}–65535", ("min", min));
    public static Notice RemotePortRange() => Of("remotePortRange", "remote port must be 1–65535");
    public static Notice NotAnAddress(string text) => Of("notAnAddress", $"'{text}' is not an IP address of this machine", ("text", text));
    public static Notice HostMissing() => Of("hostMissing", "enter the host to connect to");
    public static Notice RemoteHostMissing() => Of("remoteHostMissing", "enter the remote host");
    public static Notice UnknownHost(string host) => Of("unknownHost", $"unknown host '{host}'", ("host", host));
    public static Notice AlreadyRunning() => Of("alreadyRunning", "already running; stop it first");
    public static Notice NotRunning() => Of("notRunning", "not started yet: listen, connect or open first");
    public static Notice NoClients() => Of("noClients", "no client is connected");
    public static Notice NoSuchClient(string id) => Of("noSuchClient", $"no connected client with id {id}", ("id", id));
    public static Notice KickNotServer() => Of("kickNotServer", "only a TCP server has clients to kick");
    public static Notice ReceiveOnly() => Of("receiveOnly", "receive-only mode: sending is off");
    public static Notice ReadTimeoutNegative() => Of("readTimeoutNegative", "read timeout must not be negative");
    public static Notice DatagramTooLarge(int max) => Of("datagramTooLarge", $"a UDP datagram holds at most {max} bytes", ("max", max));
    public static Notice NothingToSend() => Of("nothingToSend", "nothing to send");
    public static Notice RepeatNegative() => Of("repeatNegative", "repeat interval and count must not be negative");
    public static Notice RepeatTooFast(int minMs) => Of("repeatTooFast", $"repeat interval must be at least {minMs} ms", ("min", minMs));
    public static Notice BadEol(string value) => Of("badEol", $"unknown line ending '{value}' (use none, cr, lf or crlf)", ("value", value));
    public static Notice BadFraming(string value, string detail) => Of("badFraming", $"unknown framing '{value}': {detail}", ("value", value), ("detail", detail));
    public static Notice UnknownEncoding(string name, IEnumerable<string> known) =>
        Of("unknownEncoding", $"unknown encoding '{name}' (use one of: {string.Join(", ", known)})", ("name", name));
    public static Notice UnknownChecksum(string name) =>
        Of("unknownChecksum", $"unknown checksum '{name}' (use one of: {Core.Checksums.Checksum.Names})", ("name", name));
    public static Notice BadOrder(string value) => Of("badOrder", $"unknown byte order '{value}' (use le or be)", ("value", value));
    public static Notice BadRule(string detail) => Of("badRule", detail, ("detail", detail));
    public static Notice BadFirmware(string name) =>
        Of("badFirmware", $"firmware must be one of {string.Join(", ", SocketLab.Board.Oled.BoardFirmware.Names)}, got '{name}'", ("name", name), ("names", string.Join(", ", SocketLab.Board.Oled.BoardFirmware.Names)));
    public static Notice TooManySessions(int max) => Of("tooManySessions", $"at most {max} sessions; close one first", ("max", max));
    public static Notice TranscriptFailed(string path, string detail) => Of("transcriptFailed", $"cannot write transcript '{path}': {detail}", ("path", path), ("detail", detail));

    /// <summary>Core's hex parser's two complaints, as codes: a bad digit (with where) or an odd count.</summary>
    public static Notice BadHex(string parserError)
    {
        Match digit = HexDigitError().Match(parserError);
        if (digit.Success)
            return Of("badHexDigit", $"bad hex: {parserError}", ("char", digit.Groups[1].Value), ("position", digit.Groups[2].Value));
        Match odd = HexOddError().Match(parserError);
        return odd.Success
            ? Of("badHexOdd", $"bad hex: {parserError}", ("count", odd.Groups[1].Value))
            : Of("badHex", $"bad hex: {parserError}", ("detail", parserError));
    }

    private static Notice Network(string code, string doing, (string Key, object? Value) where, NetworkException ex)
    {
        // The page words the kind itself, in the user's language; the detail is for "other" and exports.
        string why = ex.Kind switch
        {
            NetworkErrorKind.AddressInUse => "addressInUse",
            NetworkErrorKind.PermissionDenied => "permissionDenied",
            NetworkErrorKind.AddressNotAvailable => "addressNotAvailable",
            NetworkErrorKind.ConnectionRefused => "refused",
            NetworkErrorKind.TimedOut => "timedOut",
            NetworkErrorKind.UnknownHost => "unknownHost",
            NetworkErrorKind.ConnectionReset => "reset",
            NetworkErrorKind.Unreachable => "unreachable",
            NetworkErrorKind.BroadcastNotAllowed => "broadcastNotAllowed",
            _ => "other",
        };
        string detail = ex.Detail ?? ex.InnerException?.Message ?? ex.Reason;
        return Of(code, $"{doing}: {Why(why, detail)}", where, ("why", why), ("detail", detail));
    }

    /// <summary>English for a reason code (the page has its own words for each).</summary>
    private static string Why(string why, string? detail) => why switch
    {
        "byPeer" => "closed by the other side",
        "here" => "closed here",
        "reset" => detail is { Length: > 0 } ? $"reset ({detail})" : "connection reset",
        "rejected" => $"rejected: {detail}",
        "addressInUse" => "address already in use (another program is listening on that port; choose another port)",
        "permissionDenied" => "permission denied (ports below 1024 need administrator rights)",
        "addressNotAvailable" => "that address is not on this machine",
        "refused" => "connection refused (nothing is listening on that port)",
        "timedOut" => "timed out",
        "unknownHost" => "unknown host",
        "unreachable" => "network or host unreachable",
        "broadcastNotAllowed" => "a broadcast address: allow broadcast first",
        _ => detail ?? why,
    };

    [GeneratedRegex(@"not a hex digit: '(.+)' at position (\d+)")]
    private static partial Regex HexDigitError();

    [GeneratedRegex(@"odd number of hex digits \((\d+)\)")]
    private static partial Regex HexOddError();
}
