using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary>The observers a TCP command feeds: the console (behind <c>--frame</c>), board-strict notices after it, and the <c>--record</c> transcript.</summary>
public static class TcpObservers
{
    /// <param name="echoLoopUndo">The end of the echo loop notice: what echo does now and how to turn it back on.</param>
    public static List<IConnectionObserver> Create(ParseResult r, FramingOptionSet framing, TranscriptWriter? recorder, ConsoleSink sink, string role, bool boardStrict, Func<TcpConnection, string> echoLoopUndo)
    {
        var observers = new List<IConnectionObserver> { framing.Wrap(r, new SinkObserver(sink, echoLoopUndo), sink) };
        if (boardStrict)
            observers.Add(new BoardStrictObserver(sink.Line));
        if (recorder is not null)
            observers.Add(new TcpTranscriptRecorder(recorder, role));
        return observers;
    }
}
