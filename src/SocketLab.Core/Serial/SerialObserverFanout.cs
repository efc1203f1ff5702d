namespace SocketLab.Core.Serial;

/// <summary>Passes each event to several observers in order (console, transcript, OLED…).</summary>
public sealed class SerialObserverFanout(IReadOnlyList<ISerialObserver> observers) : ISerialObserver
{
    public void OnReceived(SerialLink link, ReadOnlySpan<byte> data)
    {
        foreach (ISerialObserver o in observers)
            o.OnReceived(link, data);
    }

    public void OnSent(SerialLink link, ReadOnlySpan<byte> data)
    {
        foreach (ISerialObserver o in observers)
            o.OnSent(link, data);
    }

    public void OnClosed(SerialLink link, SerialCloseReason reason, string? detail)
    {
        foreach (ISerialObserver o in observers)
            o.OnClosed(link, reason, detail);
    }
}
