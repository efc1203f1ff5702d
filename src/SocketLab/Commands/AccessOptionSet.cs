using System.CommandLine;
using System.Net;
using SocketLab.Core.Net;

namespace SocketLab.Cli.Commands;

/// <summary>ncat-style --allow/--deny (addresses or CIDR ranges; repeat the option or separate with commas).</summary>
public sealed class AccessOptionSet
{
    public Option<IPNetwork[]> Allow { get; } = Create("--allow", "Only these peers may connect: addresses or CIDR ranges, e.g. 192.168.0.0/24,::1");
    public Option<IPNetwork[]> Deny { get; } = Create("--deny", "These peers are closed at once (wins over --allow)");

    private static Option<IPNetwork[]> Create(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = r =>
        {
            var list = new List<IPNetwork>();
            foreach (string token in r.Tokens.Select(t => t.Value))
            {
                foreach (string entry in token.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (AccessList.TryParseEntry(entry, out IPNetwork n))
                        list.Add(n);
                    else
                        r.AddError($"{name} takes addresses or CIDR ranges such as 192.168.0.0/24, got '{entry}'");
                }
            }
            return list.ToArray();
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Allow);
        command.Options.Add(Deny);
    }

    public AccessList? Resolve(ParseResult r)
    {
        var list = new AccessList();
        foreach (IPNetwork n in r.GetValue(Allow) ?? [])
            list.Allow(n);
        foreach (IPNetwork n in r.GetValue(Deny) ?? [])
            list.Deny(n);
        return list.IsEmpty ? null : list;
    }
}
