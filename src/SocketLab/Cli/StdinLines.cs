using System.Threading.Channels;

namespace SocketLab.Cli;

/// <summary>Reads standard input on a background thread, one line at a time; the channel completes at end of input.</summary>
public static class StdinLines
{
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
