using SocketLab.Core.Transcripts;

namespace SocketLab.Web.Sessions;

/// <summary>
/// A session's Record toggle: while on, a <see cref="TranscriptWriter"/> (the CLI's <c>--record</c>
/// format) is plugged into the session; after it stops, the last file stays known for download.
/// When a write fails (disk full) the toggle turns itself off and <paramref name="failed"/> gets the
/// writer's sentence; the session goes on serving.
/// </summary>
public sealed class TranscriptToggle(Action<TranscriptWriter?> plug, Action<TranscriptWriter, string>? failed = null)
{
    private readonly Lock _lock = new();
    private volatile TranscriptWriter? _writer;

    public bool On => _writer is not null;

    /// <summary>The file being written, or the last one written; null before the first recording.</summary>
    public string? Path { get; private set; }

    /// <summary>Opens <paramref name="directory"/>/<paramref name="name"/> (appending) and plugs it in; false when already on.</summary>
    public bool Start(string directory, string name)
    {
        lock (_lock)
        {
            if (_writer is not null)
                return false;
            string path = System.IO.Path.Combine(directory, name);
            TranscriptWriter writer;
            try
            {
                Directory.CreateDirectory(directory);
                writer = new TranscriptWriter(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SessionException(Notice.TranscriptFailed(path, ex.Message));
            }
            Path = writer.Path;
            _writer = writer;
            writer.Failed += why => OnFailed(writer, why);
            plug(writer);
            return true;
        }
    }

    private void OnFailed(TranscriptWriter writer, string why)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_writer, writer))
                return;
            plug(null);
            _writer = null;
        }
        failed?.Invoke(writer, why);
    }

    /// <summary>Unplugs and closes the file; false when it was off. An event racing this is written or dropped whole.</summary>
    public bool Stop()
    {
        lock (_lock)
        {
            if (_writer is not { } writer)
                return false;
            plug(null);
            _writer = null;
            writer.Dispose();
            return true;
        }
    }
}
