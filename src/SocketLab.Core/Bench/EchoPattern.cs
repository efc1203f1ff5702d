namespace SocketLab.Core.Bench;

/// <summary>
/// The bytes the bench sends, as one endless stream per connection: byte n of a connection's stream is
/// <c>Bytes[(start + n) % Period]</c>. The period is prime, so consecutive messages differ and a server
/// that repeats, drops, reorders or crosses data between connections is caught by a plain comparison.
/// Messages are slices of one shared read-only buffer: nothing is copied or allocated per message.
/// </summary>
public sealed class EchoPattern
{
    /// <summary>Largest prime below 64 Ki.</summary>
    public const int Period = 65521;

    /// <summary>Longest slice <see cref="Slice"/> hands out; longer sends and checks go in pieces.</summary>
    public const int MaxSlice = 256 * 1024;

    // Pinned: the uring engine hands the kernel addresses into it for sends that complete later.
    private readonly byte[] _bytes = GC.AllocateArray<byte>(Period + MaxSlice, pinned: true);

    public EchoPattern(int seed = 0x5eed)
    {
        var random = new Random(seed);
        random.NextBytes(_bytes.AsSpan(0, Period));
        for (int i = Period; i < _bytes.Length; i++)
            _bytes[i] = _bytes[i - Period];
    }

    /// <summary>Where connection <paramref name="connection"/>'s stream starts, so no two neighbours share bytes.</summary>
    public static long StartOf(long connection) => connection * 7919 % Period;

    /// <summary>The stream's bytes from <paramref name="position"/>, at most <see cref="MaxSlice"/> of them.</summary>
    public ReadOnlyMemory<byte> Slice(long position, int length) =>
        _bytes.AsMemory((int)(position % Period), Math.Min(length, MaxSlice));

    /// <summary>
    /// Compares received bytes with the stream at <paramref name="position"/>; returns the index of the
    /// first wrong byte, or -1 when all match.
    /// </summary>
    public int FirstMismatch(ReadOnlySpan<byte> received, long position)
    {
        int done = 0;
        while (done < received.Length)
        {
            int n = Math.Min(received.Length - done, MaxSlice);
            ReadOnlySpan<byte> expected = _bytes.AsSpan((int)((position + done) % Period), n);
            ReadOnlySpan<byte> got = received.Slice(done, n);
            if (!got.SequenceEqual(expected))
                return done + got.CommonPrefixLength(expected);
            done += n;
        }
        return -1;
    }

    /// <summary>The address of the stream's byte at <paramref name="position"/>; <see cref="MaxSlice"/> bytes follow it.</summary>
    internal unsafe nint AddressOf(long position) => (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _bytes[(int)(position % Period)]);

    /// <summary>The byte the stream has at <paramref name="position"/>.</summary>
    public byte At(long position) => _bytes[(int)(position % Period)];
}
