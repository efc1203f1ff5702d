using System.Runtime.InteropServices;
using static SocketLab.Core.Uring.UringNative;

namespace SocketLab.Core.Uring;

/// <summary>
/// A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19): a pool of equal receive buffers the
/// kernel picks from when data arrives for a multishot receive, so no buffer is tied to a connection that
/// is waiting. A buffer comes back with its completion (its id in the CQE flags) and is returned with
/// <see cref="Recycle"/> once read. Ring and buffers are native memory: nothing moves, nothing is collected.
/// </summary>
internal sealed unsafe class ProvidedBuffers : IDisposable
{
    private const int EntrySize = 16; // struct io_uring_buf { u64 addr; u32 len; u16 bid; u16 resv (the ring's tail in entry 0) }

    private readonly IoUring _ring;
    private readonly nint _entries;
    private readonly nuint _entriesSize;
    private readonly byte* _buffers;
    private readonly ushort _mask;
    private ushort _tail;
    private bool _registered;
    private int _disposed;

    public ProvidedBuffers(IoUring ring, ushort group, int count, int bufferSize)
    {
        if (count is < 1 or > 32768 || (count & (count - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(count), "a power of two up to 32768");
        _ring = ring;
        Group = group;
        Count = count;
        BufferSize = bufferSize;
        _mask = (ushort)(count - 1);
        _entriesSize = (nuint)(count * EntrySize);
        _entries = mmap(0, _entriesSize, ProtReadWrite, MapPrivate | MapAnonymous | MapPopulate, -1, 0); // page-aligned, as the kernel wants
        if (_entries == MapFailed)
            throw new UringUnavailableException("mmap of a buffer ring", Marshal.GetLastPInvokeError());
        _buffers = (byte*)NativeMemory.AlignedAlloc((nuint)count * (nuint)bufferSize, 4096);
        var reg = new BufReg { RingAddr = (ulong)_entries, RingEntries = (uint)count, Bgid = group };
        if (Register(ring.Fd, RegisterPbufRing, &reg, 1) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new UringUnavailableException("registering a provided-buffer ring", errno);
        }
        _registered = true;
        for (int i = 0; i < count; i++)
            Put((ushort)i);
        Publish();
    }

    public ushort Group { get; }

    public int Count { get; }

    public int BufferSize { get; }

    /// <summary>The bytes a completion delivered in buffer <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Data(ushort id, int length) => new(_buffers + (long)id * BufferSize, length);

    /// <summary>Where buffer <paramref name="id"/> starts (for a send from it: the buffer stays put until recycled).</summary>
    public byte* Address(ushort id) => _buffers + (long)id * BufferSize;

    /// <summary>Gives buffer <paramref name="id"/> back to the kernel (seen by it after <see cref="Publish"/>).</summary>
    public void Recycle(ushort id) => Put(id);

    /// <summary>Makes the buffers given back so far visible to the kernel (one release store of the tail).</summary>
    public void Publish() => Volatile.Write(ref *(ushort*)((byte*)_entries + 14), _tail);

    private void Put(ushort id)
    {
        byte* entry = (byte*)_entries + (_tail & _mask) * EntrySize;
        *(ulong*)entry = (ulong)(_buffers + (long)id * BufferSize);
        *(uint*)(entry + 8) = (uint)BufferSize;
        *(ushort*)(entry + 12) = id;
        _tail++;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_registered)
        {
            var reg = new BufReg { Bgid = Group };
            _ = Register(_ring.Fd, UnregisterPbufRing, &reg, 1);
            _registered = false;
        }
        if (_buffers is not null)
            NativeMemory.AlignedFree(_buffers);
        if (_entries != 0 && _entries != MapFailed)
            _ = munmap(_entries, _entriesSize);
    }
}
