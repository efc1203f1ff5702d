using System.Text;
using SocketLab.Core.Framing;

namespace SocketLab.Core.Tests.Framing;

public sealed class FramerTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Feeds <paramref name="stream"/> cut at every pair of split points and checks the same frames come out.</summary>
    private static void AssertFramesAtEverySplit(Func<IFrameDecoder> create, byte[] stream, byte[][] expected, byte[] expectedRemainder)
    {
        for (int i = 0; i <= stream.Length; i++)
        {
            for (int j = i; j <= stream.Length; j++)
            {
                IFrameDecoder framer = create();
                var frames = new List<byte[]>();
                framer.Feed(stream.AsSpan(0, i), f => frames.Add(f.ToArray()));
                framer.Feed(stream.AsSpan(i, j - i), f => frames.Add(f.ToArray()));
                framer.Feed(stream.AsSpan(j), f => frames.Add(f.ToArray()));
                Assert.True(expected.Length == frames.Count, $"split at {i},{j}: {frames.Count} frames, expected {expected.Length}");
                for (int k = 0; k < expected.Length; k++)
                    Assert.True(expected[k].AsSpan().SequenceEqual(frames[k]), $"split at {i},{j}: frame {k} differs");
                Assert.Equal(expectedRemainder, framer.TakeRemainder());
                Assert.Equal(0, framer.Pending);
            }
        }
        // And one byte at a time.
        IFrameDecoder single = create();
        var one = new List<byte[]>();
        foreach (byte b in stream)
            single.Feed([b], f => one.Add(f.ToArray()));
        Assert.Equal(expected, one);
    }

    [Fact]
    public void Line_framing_splits_on_LF_and_drops_a_CR_before_it()
    {
        FrameSpec.TryParse("line", out FrameSpec? spec, out _);
        AssertFramesAtEverySplit(() => spec!.CreateDecoder(), B("hello\r\n你好\n\nend\rx\npart"),
            [B("hello"), B("你好"), B(""), B("end\rx")], B("part"));
    }

    [Fact]
    public void Multi_byte_delimiter_is_found_across_any_split()
    {
        FrameSpec.TryParse(@"delim:\r\n", out FrameSpec? spec, out _);
        AssertFramesAtEverySplit(() => spec!.CreateDecoder(), B("a\r\rb\r\n\r\nc\n\r\nd\r"),
            [B("a\r\rb"), B(""), B("c\n")], B("d\r"));
    }

    [Fact]
    public void Hex_escaped_delimiter_and_nul()
    {
        FrameSpec.TryParse(@"delim:\xff\x00", out FrameSpec? spec, out _);
        AssertFramesAtEverySplit(() => spec!.CreateDecoder(), [1, 0xff, 2, 0xff, 0, 3, 0xff, 0xff, 0, 4],
            [[1, 0xff, 2], [3, 0xff]], [4]);
        FrameSpec.TryParse("nul", out FrameSpec? nul, out _);
        AssertFramesAtEverySplit(() => nul!.CreateDecoder(), [1, 0, 0, 2, 3, 0], [[1], [], [2, 3]], []);
    }

    [Fact]
    public void Fixed_length_framing()
    {
        AssertFramesAtEverySplit(() => new FixedLengthFramer(3), B("abcdefgh"), [B("abc"), B("def")], B("gh"));
    }

    [Theory]
    [InlineData("len1", new byte[] { 3, 1, 2, 3, 0, 1, 9, 2 }, new byte[] { 2 })]
    [InlineData("len2be", new byte[] { 0, 3, 1, 2, 3, 0, 0, 0, 1, 9, 0 }, new byte[] { 0 })]
    [InlineData("len2le", new byte[] { 3, 0, 1, 2, 3, 0, 0, 1, 0, 9, 5, 0, 7 }, new byte[] { 5, 0, 7 })]
    [InlineData("len4be", new byte[] { 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1, 9 }, new byte[0])]
    [InlineData("len4le", new byte[] { 3, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 9, 1 }, new byte[] { 1 })]
    public void Length_prefix_framing_in_both_byte_orders(string form, byte[] stream, byte[] remainder)
    {
        FrameSpec.TryParse(form, out FrameSpec? spec, out _);
        AssertFramesAtEverySplit(() => spec!.CreateDecoder(), stream, [[1, 2, 3], [], [9]], remainder);
    }

    [Fact]
    public void Raw_passes_each_chunk_through_unchanged()
    {
        IFrameDecoder raw = FrameSpec.Raw.CreateDecoder();
        var frames = new List<byte[]>();
        raw.Feed(B("ab"), f => frames.Add(f.ToArray()));
        raw.Feed([], f => frames.Add(f.ToArray()));
        raw.Feed(B("c"), f => frames.Add(f.ToArray()));
        Assert.Equal([B("ab"), B("c")], frames);
    }

    [Fact]
    public void Frames_over_the_maximum_are_refused()
    {
        var delim = new DelimiterFramer("\n"u8, maxFrameSize: 4);
        delim.Feed(B("abcd\n"), _ => { });
        Assert.Throws<FrameTooLargeException>(() => delim.Feed(B("abcde"), _ => { }));
        delim.Reset();
        Assert.Equal(0, delim.Pending);

        var len = new LengthPrefixFramer(4, bigEndian: true, maxFrameSize: 100);
        // A header claiming 4 GiB must fail at once, not wait for (or allocate) the data.
        Assert.Throws<FrameTooLargeException>(() => len.Feed([0xff, 0xff, 0xff, 0xff], _ => { }));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("fixed:0")]
    [InlineData("fixed:x")]
    [InlineData("delim:")]
    [InlineData(@"delim:\q")]
    public void Bad_specs_are_refused_with_a_reason(string text)
    {
        Assert.False(FrameSpec.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
