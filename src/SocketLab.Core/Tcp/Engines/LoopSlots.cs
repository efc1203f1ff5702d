namespace SocketLab.Core.Tcp;

/// <summary>
/// A loop's connections by slot, for routing a readiness event or a completion back to its driver by a number
/// carried in the kernel's 64-bit user data. A slot freed and given to another connection gets a new generation,
/// so a stale event for the one that left is told apart (<see cref="Find"/>). Loop thread only.
/// </summary>
internal sealed class LoopSlots<T> where T : LoopDriver
{
    private T?[] _slots = new T?[64];
    private readonly Stack<int> _free = new();
    private int _used;
    private uint _generation;

    /// <summary>Gives <paramref name="c"/> a slot and a fresh generation (<see cref="LoopDriver.Slot"/>, <see cref="LoopDriver.Generation"/>).</summary>
    public void Add(T c)
    {
        int slot = _free.Count > 0 ? _free.Pop() : _used++;
        if (slot == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        _slots[slot] = c;
        c.Slot = slot;
        c.Generation = ++_generation;
    }

    /// <summary>Takes <paramref name="c"/>'s slot back; nothing when it has none (any more).</summary>
    public void Free(T c)
    {
        if (c.Slot < 0 || _slots[c.Slot] != c)
            return;
        _slots[c.Slot] = null;
        _free.Push(c.Slot);
        c.Slot = -1;
    }

    /// <summary>The connection in <paramref name="slot"/> if it is still the one of <paramref name="generation"/>.</summary>
    public T? Find(int slot, uint generation) =>
        slot < _used && _slots[slot] is { } c && c.Generation == generation ? c : null;

    /// <summary>Every connection still here (the loop is stopping).</summary>
    public IEnumerable<T> All()
    {
        for (int slot = 0; slot < _used; slot++)
        {
            if (_slots[slot] is { } c)
                yield return c;
        }
    }
}
