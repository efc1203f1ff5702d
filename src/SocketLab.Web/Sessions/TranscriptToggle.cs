using SocketLab.Core.Transcripts;

namespace SocketLab.Web.Sessions;

/// <summary>
/// A session's Record toggle: while on, a <see cref="TranscriptWriter"/> (the CLI's <c>--record</c>
/// format) is plugged into the session; after it stops, the last file stays known for download.
/// </summary>
public sealed class TranscriptToggle(Action<TranscriptWriter?> plug)
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
            plug(writer);
            return true;
        }
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
