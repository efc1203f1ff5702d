using System.Text;
using SocketLab.Core.Replay;
using SocketLab.Core.Tests.Tcp;
using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Tests.Replay;

/// <summary>The streaming comparison against a real echo server: where the streams part, and what the report shows.</summary>
public sealed class ReplayRunnerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TranscriptEvent Data(TranscriptDirection dir, string text, int ms) => new()
    {
        Time = T0.AddMilliseconds(ms),
        Protocol = "tcp",
        Role = "client",
        Connection = 1,
        Kind = TranscriptEventKind.Data,
        Direction = dir,
        Data = Encoding.ASCII.GetBytes(text),
    };

    private static async Task<ReplayResult> ReplayAgainstEchoAsync(string send, params string[] recordedReplies)
    {
        await using var server = new LoopbackServer();
        using var socket = await server.ConnectAsync();
        TranscriptEvent[] events = [Data(TranscriptDirection.Out, send, 0), .. recordedReplies.Select((r, i) => Data(TranscriptDirection.In, r, i + 1))];
        ReplayPlan plan = ReplayPlan.Build(events, connection: null);
        return await ReplayRunner.RunAsync(plan, socket, speed: 0, TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Equal_streams_match_however_they_were_chunked()
    {
        ReplayResult r = await ReplayAgainstEchoAsync("abcdef", "ab", "cd", "ef");
        Assert.Null(r.Difference);
        Assert.Equal(6, r.ReceivedLength);
    }

    [Fact]
    public async Task A_different_byte_is_found_in_its_chunk_with_both_excerpts()
    {
        ReplayResult r = await ReplayAgainstEchoAsync("abcdef", "ab", "cX", "ef");
        Assert.Equal((DifferenceKind.Differs, 3L, 6L, 6L), (r.Difference!.Kind, r.Difference.Offset, r.Difference.ExpectedLength, r.Difference.ActualLength));
        Assert.Equal(1, r.Chunk!.Index);
        Assert.Equal("Xef", Encoding.ASCII.GetString(r.ExpectedExcerpt));
        Assert.Equal("def", Encoding.ASCII.GetString(r.ReceivedExcerpt));
    }

    [Fact]
    public async Task Fewer_bytes_than_recorded_are_missing_from_where_the_server_stopped()
    {
        ReplayResult r = await ReplayAgainstEchoAsync("abcd", "ab", "cdef", "gh");
        Assert.Equal((DifferenceKind.Missing, 4L, 8L, 4L), (r.Difference!.Kind, r.Difference.Offset, r.Difference.ExpectedLength, r.Difference.ActualLength));
        Assert.Equal(1, r.Chunk!.Index);
        Assert.Equal("efgh", Encoding.ASCII.GetString(r.ExpectedExcerpt));
        Assert.Empty(r.ReceivedExcerpt);
    }

    [Fact]
    public async Task More_bytes_than_recorded_go_on_past_the_end()
    {
        ReplayResult r = await ReplayAgainstEchoAsync("abcdef", "abc");
        Assert.Equal((DifferenceKind.Extra, 3L, 3L, 6L), (r.Difference!.Kind, r.Difference.Offset, r.Difference.ExpectedLength, r.Difference.ActualLength));
        Assert.Null(r.Chunk);
        Assert.Empty(r.ExpectedExcerpt);
        Assert.Equal("def", Encoding.ASCII.GetString(r.ReceivedExcerpt));
    }
}
