using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SocketLab.Core.Net;

/// <summary>A "host:port" target as users type it: <c>192.168.0.2:5001</c>, <c>localhost:5001</c>, <c>[::1]:5001</c>.</summary>
public readonly record struct HostPort(string Host, int Port)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out HostPort? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        string t = text.Trim();
        int colon = t.LastIndexOf(':');
        string host = colon > 0 ? t[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':'))
            host = ""; // A bare IPv6 address needs brackets to tell the port apart.
        if (host.Length == 0)
        {
            error = $"expected HOST:PORT such as 127.0.0.1:5001 or [::1]:5001, got '{text}'";
            return false;
        }
        if (!int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            error = $"the port in '{text}' must be a number from 1 to 65535";
            return false;
        }
        value = new HostPort(host, port);
        error = null;
        return true;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
