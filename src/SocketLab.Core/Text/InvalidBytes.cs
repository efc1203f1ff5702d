namespace SocketLab.Core.Text;

/// <summary>How bytes that are not valid in the chosen encoding are shown.</summary>
public enum InvalidBytes
{
    /// <summary>As <c>\xNN</c>, one per byte, so the exact bytes can be read back.</summary>
    Escape,
    /// <summary>As U+FFFD (�), the usual replacement character.</summary>
    Replace,
}
