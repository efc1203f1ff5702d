namespace SocketLab.Web.Sessions;

/// <summary>A request the session cannot carry out, worded for the page (answered with 400 or 409).</summary>
public sealed class SessionException(string message, bool conflict = false) : Exception(message)
{
    /// <summary>The request was fine but the session's state does not allow it (409).</summary>
    public bool Conflict { get; } = conflict;
}
