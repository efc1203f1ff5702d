using System.Text;
using System.Threading.Channels;

namespace SocketLab.Cli;

/// <summary>
/// The '-i' prompt on a terminal: a line editor like a shell's (←/→, Home/End, Delete, Backspace, ↑/↓ history,
/// Ctrl+A/E/U/K/W, Ctrl+D on an empty line ends input) drawn on stderr. Control keys only edit; they are never
/// sent. What the console prints goes above the prompt: <see cref="Output.ConsoleSink"/> calls
/// <see cref="Hide"/> before and <see cref="Show"/> after each batch, so a half-typed line is never torn.
/// Piped input does not come here (<see cref="StdinLines"/> reads it exactly as before).
/// </summary>
public sealed class LineEditor : ITerminalPrompt
{
    private const string Prompt = "> ";
    private const int HistoryLimit = 500;

    private readonly object _screen = new();
    private readonly TextWriter _term;
    private readonly List<Rune> _line = [];
    private readonly List<string> _history = [];
    private int _cursor;
    private int _historyIndex;
    private string _draft = "";
    private bool _hidden;
    private bool _closed;
    private char? _highSurrogate;

    private LineEditor(TextWriter term)
    {
        _term = term;
    }

    /// <summary>Editing needs keys one at a time and somewhere to draw: stdin and stderr both a terminal.</summary>
    public static bool Usable => !Console.IsInputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>Starts reading keys on a background thread; the channel gets each entered line and completes at Ctrl+D.</summary>
    public static (LineEditor Editor, ChannelReader<string> Lines) Start()
    {
        var editor = new LineEditor(Console.Error);
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
        var thread = new Thread(() =>
        {
            try
            {
                editor.Redraw();
                while (true)
                {
                    ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                    if (editor.Handle(key) is { } result)
                    {
                        if (result.Ended)
                            break;
                        channel.Writer.TryWrite(result.Line!);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException) { }
            finally
            {
                editor.Close();
                channel.Writer.TryComplete();
            }
        })
        { IsBackground = true, Name = "line-editor" };
        thread.Start();
        return (editor, channel.Reader);
    }

    /// <summary>What a key did: nothing to report (null), a line entered, or the end of input.</summary>
    internal readonly record struct Result(string? Line, bool Ended);

    /// <summary>Applies one key (the editing itself, separate from the terminal so it can be tested alone).</summary>
    internal Result? Handle(ConsoleKeyInfo key)
    {
        lock (_screen)
        {
            Result? result = Apply(key);
            if (result is { Ended: false, Line: { } entered })
            {
                // The entered line stays on screen, as a shell leaves it; a fresh prompt follows.
                Draw(entered.Length == 0 ? Prompt : Prompt + entered);
                _term.Write('\n');
            }
            if (result is not { Ended: true })
                Redraw();
            return result;
        }
    }

    private Result? Apply(ConsoleKeyInfo key)
    {
        bool ctrl = (key.Modifiers & ConsoleModifiers.Control) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Enter();
            case ConsoleKey.LeftArrow: _cursor = Math.Max(0, _cursor - 1); return null;
            case ConsoleKey.RightArrow: _cursor = Math.Min(_line.Count, _cursor + 1); return null;
            case ConsoleKey.Home: _cursor = 0; return null;
            case ConsoleKey.End: _cursor = _line.Count; return null;
            case ConsoleKey.Backspace:
                if (_cursor > 0)
                    _line.RemoveAt(--_cursor);
                return null;
            case ConsoleKey.Delete:
                if (_cursor < _line.Count)
                    _line.RemoveAt(_cursor);
                return null;
            case ConsoleKey.UpArrow: Recall(-1); return null;
            case ConsoleKey.DownArrow: Recall(+1); return null;
        }
        char c = key.KeyChar;
        if (ctrl || char.IsControl(c))
            return Control(key.Key, c);
        Insert(c);
        return null;
    }

    private Result? Control(ConsoleKey key, char c)
    {
        switch (c != '\0' ? (int)c : key - ConsoleKey.A + 1)
        {
            case 1: _cursor = 0; break;                         // Ctrl+A
            case 5: _cursor = _line.Count; break;               // Ctrl+E
            case 2: _cursor = Math.Max(0, _cursor - 1); break;  // Ctrl+B
            case 6: _cursor = Math.Min(_line.Count, _cursor + 1); break; // Ctrl+F
            case 4:                                             // Ctrl+D: end of input on an empty line, else delete
                if (_line.Count == 0)
                    return new Result(null, Ended: true);
                if (_cursor < _line.Count)
                    _line.RemoveAt(_cursor);
                break;
            case 8 or 127:                                      // Ctrl+H / DEL as Backspace
                if (_cursor > 0)
                    _line.RemoveAt(--_cursor);
                break;
            case 11: _line.RemoveRange(_cursor, _line.Count - _cursor); break; // Ctrl+K
            case 21: _line.RemoveRange(0, _cursor); _cursor = 0; break;        // Ctrl+U
            case 23:                                            // Ctrl+W: the word before the cursor
                int start = _cursor;
                while (start > 0 && Rune.IsWhiteSpace(_line[start - 1]))
                    start--;
                while (start > 0 && !Rune.IsWhiteSpace(_line[start - 1]))
                    start--;
                _line.RemoveRange(start, _cursor - start);
                _cursor = start;
                break;
            case 16: Recall(-1); break;                         // Ctrl+P
            case 14: Recall(+1); break;                         // Ctrl+N
            case 13 or 10: return Enter();
        }
        return null; // every other control key: nothing, and nothing sent
    }

    private void Insert(char c)
    {
        if (char.IsHighSurrogate(c))
        {
            _highSurrogate = c;
            return;
        }
        Rune rune;
        if (char.IsLowSurrogate(c))
        {
            if (_highSurrogate is not { } high)
                return;
            rune = new Rune(high, c);
        }
        else
        {
            rune = new Rune(c);
        }
        _highSurrogate = null;
        _line.Insert(_cursor++, rune);
    }

    private Result Enter()
    {
        string text = Text(_line);
        if (text.Length > 0 && (_history.Count == 0 || _history[^1] != text))
        {
            _history.Add(text);
            if (_history.Count > HistoryLimit)
                _history.RemoveAt(0);
        }
        _line.Clear();
        _cursor = 0;
        _historyIndex = _history.Count;
        _draft = "";
        return new Result(text, Ended: false);
    }

    private void Recall(int step)
    {
        int to = Math.Clamp(_historyIndex + step, 0, _history.Count);
        if (to == _historyIndex)
            return;
        if (_historyIndex == _history.Count)
            _draft = Text(_line);
        _historyIndex = to;
        _line.Clear();
        _line.AddRange((to == _history.Count ? _draft : _history[to]).EnumerateRunes());
        _cursor = _line.Count;
    }

    /// <summary>The line being typed (for tests).</summary>
    internal string Current => Text(_line);

    internal int Cursor => _cursor;

    private static string Text(List<Rune> runes) => string.Concat(runes.Select(r => r.ToString()));

    /// <summary>Clears the prompt line so output can be written there; holds the screen until <see cref="Show"/>.</summary>
    public void Hide()
    {
        Monitor.Enter(_screen);
        if (!_hidden)
        {
            _term.Write("\r\x1b[K");
            _term.Flush();
            _hidden = true;
        }
    }

    /// <summary>Draws the prompt again below what was written, and lets the keys at it again.</summary>
    public void Show()
    {
        try
        {
            _hidden = _closed;
            Redraw();
        }
        finally
        {
            Monitor.Exit(_screen);
        }
    }

    private void Redraw()
    {
        lock (_screen)
        {
            if (_hidden)
                return;
            // Only what fits before the terminal's last column, scrolled so the cursor stays in sight.
            int room = Math.Max(8, SafeWidth() - Prompt.Length - 1);
            int from = 0;
            while (Width(_line, from, _cursor) > room)
                from++;
            int to = _cursor;
            while (to < _line.Count && Width(_line, from, to + 1) <= room)
                to++;
            Draw(Prompt + Text(_line.GetRange(from, to - from)));
            int column = Prompt.Length + Width(_line, from, _cursor);
            _term.Write(column > 0 ? $"\r\x1b[{column}C" : "\r");
            _term.Flush();
        }
    }

    private void Draw(string text) => _term.Write("\r\x1b[K" + text);

    /// <summary>Takes the prompt off the screen for good (the session ended; a half-typed line was not sent).</summary>
    public void Close()
    {
        lock (_screen)
        {
            if (_closed)
                return;
            _term.Write("\r\x1b[K");
            _term.Flush();
            _hidden = _closed = true;
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private static int Width(List<Rune> line, int from, int to)
    {
        int width = 0;
        for (int i = from; i < to; i++)
            width += CellWidth(line[i]);
        return width;
    }

    /// <summary>Terminal cells a character takes: two for East Asian wide ones (汉字, fullwidth forms, emoji), else one.</summary>
    internal static int CellWidth(Rune r) => r.Value switch
    {
        >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1FAFF
            or >= 0x20000 and <= 0x3FFFD => 2,
        _ => 1,
    };
}

/// <summary>A prompt the console clears before printing and draws again after (see <see cref="LineEditor"/>).</summary>
public interface ITerminalPrompt
{
    void Hide();
    void Show();
    void Close();
}
