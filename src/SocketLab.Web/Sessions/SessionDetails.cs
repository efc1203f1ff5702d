namespace SocketLab.Web.Sessions;

// What each kind of session adds to its view (Session.Details), named so the JSON code is generated at build time.

public sealed record TcpServerDetails(string? ListeningOn, bool Board, IReadOnlyList<TcpServerClientView> Clients);

public sealed record TcpServerClientView(long Id, string Address, long BytesIn, long BytesOut, bool Echo, long Since);

public sealed record TcpClientDetails(string? Target, bool Reconnect, string? Local, string? Remote);

public sealed record UdpDetails(string? Local, string? Reachable, string? RemoteHost, int? RemotePort, bool Broadcast, bool ReceiveOnly, int ReadTimeoutMs);

public sealed record SerialDetails(string? Port, string? Settings);

public sealed record RelayDetails(string? ListeningOn, string? Target);

public sealed record BoardDetails(bool Running, string? Program, string? Ip, string? Firmware);

/// <summary>The checksum a session checks what it receives with.</summary>
public sealed record VerifyView(string Checksum, string? Order);

public sealed record RepeatView(long Sent, long Total);

public sealed record ListRunView(string Name, int Round, int Step, int Steps);
