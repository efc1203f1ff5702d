using SocketLab.Core.Replay;
using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Tests.Replay;

public sealed class ReplayPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TranscriptEvent Data(long conn, TranscriptDirection dir, string text, int ms, string role = "client", bool echo = false) => new()
    {
        Time = T0.AddMilliseconds(ms),
        Protocol = "tcp",
        Role = role,
        Connection = conn,
        Kind = TranscriptEventKind.Data,
        Direction = dir,
        Echo = echo,
        Data = System.Text.Encoding.UTF8.GetBytes(text),
    };

    [Fact]
    public void A_client_transcript_replays_its_outgoing_bytes_and_expects_the_incoming_stream()
    {
        ReplayPlan plan = ReplayPlan.Build(
        [
            Data(1, TranscriptDirection.Out, "hi", 0),
            Data(1, TranscriptDirection.In, "h", 10),
            Data(1, TranscriptDirection.In, "i", 11),
            Data(1, TranscriptDirection.Out, "yo", 500),
        ], connection: null);
        Assert.Equal(["hi", "yo"], plan.Sends.Select(s => System.Text.Encoding.UTF8.GetString(s.Data.Span)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), plan.Sends[1].At);
        Assert.Equal(2, plan.Sends[1].RepliesBefore);
        Assert.Equal("hi"u8.ToArray(), plan.ExpectedReplies);
        Assert.Equal(1, plan.ChunkAt(1)!.Value.Index);
        Assert.Null(plan.ChunkAt(2));
        Assert.Equal((2, 2, 4L, 2L), (plan.SendCount, plan.ReplyCount, plan.SendBytes, plan.ExpectedLength));
    }

    [Fact]
    public void A_server_transcript_replays_what_its_client_sent_and_expects_the_echoes()
    {
        ReplayPlan plan = ReplayPlan.Build(
        [
            Data(4, TranscriptDirection.In, "ping", 0, "server"),
            Data(4, TranscriptDirection.Out, "ping", 1, "server", echo: true),
            Data(5, TranscriptDirection.In, "other", 2, "server"),
        ], connection: 4);
        Assert.Equal("ping"u8.ToArray(), Assert.Single(plan.Sends).Data.ToArray());
        Assert.Equal("ping"u8.ToArray(), plan.ExpectedReplies);
    }

    [Theory]
    [InlineData("server", TranscriptDirection.In)]  // A server recorded its client's bytes as "in".
    [InlineData("relay", TranscriptDirection.Out)]  // A relay, as its client would: "out" to the device.
    [InlineData("client", TranscriptDirection.Out)]
    public void The_device_side_sends_what_the_server_sent_and_expects_what_the_client_sent(string role, TranscriptDirection fromClient)
    {
        TranscriptDirection fromDevice = fromClient == TranscriptDirection.In ? TranscriptDirection.Out : TranscriptDirection.In;
        ReplayPlan plan = ReplayPlan.Build(
        [
            Data(1, fromDevice, "hello", 0, role),
            Data(1, fromClient, "ping", 300, role),
            Data(1, fromDevice, "pong", 310, role),
        ], connection: null, side: ReplaySide.Device);
        Assert.Equal(ReplaySide.Device, plan.Side);
        Assert.Equal(["hello", "pong"], plan.Sends.Select(s => System.Text.Encoding.UTF8.GetString(s.Data.Span)));
        Assert.Equal([0L, 4L], plan.Sends.Select(s => s.RepliesBefore));
        Assert.Equal(TimeSpan.FromMilliseconds(310), plan.Sends[1].At);
        Assert.Equal("ping"u8.ToArray(), plan.ExpectedReplies);
    }

    [Fact]
    public void A_device_that_only_listened_can_be_played_but_a_silent_connection_cannot()
    {
        ReplayPlan plan = ReplayPlan.Build([Data(1, TranscriptDirection.Out, "upload", 0, "relay")], connection: null, side: ReplaySide.Device);
        Assert.Equal((0, 6L), (plan.SendCount, plan.ExpectedLength));
        Assert.Throws<ReplayException>(() => ReplayPlan.Build([Data(1, TranscriptDirection.Out, "", 0, "relay")], connection: null, side: ReplaySide.Device));
    }

    [Fact]
    public void Several_connections_need_a_choice_and_udp_or_empty_transcripts_are_refused()
    {
        TranscriptEvent[] two = [Data(1, TranscriptDirection.Out, "a", 0), Data(2, TranscriptDirection.Out, "b", 0)];
        Assert.Equal(ReplayProblem.SeveralConnections, Assert.Throws<ReplayException>(() => ReplayPlan.Build(two, null)).Problem);
        Assert.Contains("no connection 3", Assert.Throws<ReplayException>(() => ReplayPlan.Build(two, 3)).Message);
        Assert.Throws<ReplayException>(() => ReplayPlan.Build([], null));
        Assert.Throws<ReplayException>(() => ReplayPlan.Build([Data(1, TranscriptDirection.Out, "a", 0) with { Protocol = "udp" }], null));
        Assert.Contains("sent nothing", Assert.Throws<ReplayException>(() => ReplayPlan.Build([Data(1, TranscriptDirection.In, "a", 0)], null)).Message);
    }

    [Theory]
    [InlineData("abc", "abc", null, 0L)]
    [InlineData("abc", "abX", DifferenceKind.Differs, 2L)]
    [InlineData("abc", "ab", DifferenceKind.Missing, 2L)]
    [InlineData("abc", "abcd", DifferenceKind.Extra, 3L)]
    [InlineData("", "", null, 0L)]
    public void Streams_compare_as_wholes(string expected, string actual, DifferenceKind? kind, long offset)
    {
        StreamDifference? d = StreamDifference.Compare(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(actual));
        Assert.Equal(kind, d?.Kind);
        if (d is not null)
            Assert.Equal(offset, d.Offset);
    }
}
