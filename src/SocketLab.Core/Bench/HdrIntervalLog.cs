using System.Globalization;
using System.Text;
using HdrHistogram;

namespace SocketLab.Core.Bench;

/// <summary>
/// Writes a bench run's latency as an HdrHistogram interval log (HdrHistogram.NET's
/// <see cref="HistogramLogWriter"/> format: one compressed histogram per sampling interval of the measured
/// time, stamped with wall-clock times, values in nanoseconds), so the logs of several generators can be
/// merged (<see cref="BenchLogMerge"/>) and read by HdrHistogram's own tools. The file is UTF-8 (the .NET
/// writer's own stream is UTF-16, which the Java tools and grep cannot read), and ends with one comment
/// line carrying the run's counts that a histogram does not hold (errors, bytes, connections).
/// </summary>
public sealed class HdrIntervalLog : IDisposable
{
    /// <summary>The comment line that carries the run's summary; HdrHistogram's readers skip '#' lines.</summary>
    public const string SummaryPrefix = "#[socketlab bench summary: ";

    private readonly Stream _output;
    private readonly MemoryStream _utf16 = new();
    private readonly HistogramLogWriter _writer;

    public HdrIntervalLog(Stream output)
    {
        _output = output;
        _writer = new HistogramLogWriter(_utf16);
    }

    /// <summary>Appends one interval; its <see cref="HistogramBase.StartTimeStamp"/>/<see cref="HistogramBase.EndTimeStamp"/> are ms since the epoch.</summary>
    public void Append(HistogramBase interval)
    {
        // The writer formats with the current culture ("{x:F3}"): a decimal comma would break the format.
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            _writer.Append(interval);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
        string text = Encoding.Unicode.GetString(_utf16.GetBuffer(), 0, (int)_utf16.Length).TrimStart('\uFEFF');
        _utf16.SetLength(0);
        _output.Write(Encoding.UTF8.GetBytes(text));
        _output.Flush();
    }

    /// <summary>Ends the log with the run's summary line (one JSON object, see <see cref="BenchSummary"/>).</summary>
    public void WriteSummary(BenchResult result)
    {
        _output.Write(Encoding.UTF8.GetBytes($"{SummaryPrefix}{BenchSummary.ToJson(result)}]\n"));
        _output.Flush();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _utf16.Dispose();
    }
}
