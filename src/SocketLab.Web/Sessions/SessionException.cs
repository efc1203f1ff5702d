namespace SocketLab.Web.Sessions;

/// <summary>A request the session cannot carry out (answered with 400, or 409 when the state forbids it), as a <see cref="Notice"/> the page words itself.</summary>
public sealed class SessionException(Notice notice, bool conflict = false) : Exception(notice.Text)
{
    public Notice Notice { get; } = notice;

    /// <summary>The request was fine but the session's state does not allow it (409).</summary>
    public bool Conflict { get; } = conflict;
}
