using System.Threading.Channels;

namespace SocketLab.Cli;

/// <summary>Reads standard input on a background thread, one line at a time; the channel completes at end of input.</summary>
public static class StdinLines
{
    /// <summary>
    /// Typed lines for an interactive session: on a terminal through the <see cref="LineEditor"/> (its prompt kept below
    /// what <paramref name="sink"/> prints), else read as they come, exactly like <see cref="Start"/>.
    /// </summary>
    public static ChannelReader<string> Interactive(Output.ConsoleSink sink)
    {
        if (!LineEditor.Usable)
            return Start();
        (LineEditor editor, ChannelReader<string> lines) = LineEditor.Start();
        sink.Prompt = editor;
        return lines;
    }

    public static ChannelReader<string> Start()
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
        var thread = new Thread(() =>
        {
            try
            {
                while (Console.In.ReadLine() is { } line)
                    channel.Writer.TryWrite(line);
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            finally
            {
                channel.Writer.TryComplete();
            }
        })
        { IsBackground = true, Name = "stdin" };
        thread.Start();
        return channel.Reader;
    }
}
