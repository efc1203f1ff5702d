using System.Net;

namespace SocketLab.Core.Net;

/// <summary>
/// ncat-style access control: with any allow entry only those peers may connect; a deny entry
/// always wins. Entries are addresses or CIDR ranges, IPv4 or IPv6 ("192.168.0.0/24", "::1").
/// </summary>
public sealed class AccessList
{
    private readonly List<IPNetwork> _allow = [];
    private readonly List<IPNetwork> _deny = [];

    public bool IsEmpty => _allow.Count == 0 && _deny.Count == 0;

    public static bool TryParseEntry(string text, out IPNetwork network)
    {
        string t = text.Trim();
        if (IPAddress.TryParse(t, out IPAddress? single))
        {
            single = EndpointText.Plain(single);
            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
            return true;
        }
        return IPNetwork.TryParse(t, out network);
    }

    public void Allow(IPNetwork network) => _allow.Add(network);
    public void Deny(IPNetwork network) => _deny.Add(network);

    /// <summary>Whether <paramref name="address"/> may connect; IPv4-mapped IPv6 is checked as IPv4.</summary>
    public bool Permits(IPAddress address)
    {
        IPAddress a = EndpointText.Plain(address);
        foreach (IPNetwork n in _deny)
            if (n.Contains(a))
                return false;
        if (_allow.Count == 0)
            return true;
        foreach (IPNetwork n in _allow)
            if (n.Contains(a))
                return true;
        return false;
    }
}
