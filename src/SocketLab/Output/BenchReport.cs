using System.Globalization;
using System.Net;
using System.Text;
using SocketLab.Core.Bench;
using SocketLab.Core.Net;

namespace SocketLab.Cli.Output;

/// <summary>
/// Draws a bench result as a self-contained SVG (or an HTML page around it): latency by percentile,
/// on the usual HdrHistogram axis where 90, 99, 99.9… are evenly spaced, and messages/s over time.
/// </summary>
public static class BenchReport
{
    private const int Width = 720;
    private const int ChartHeight = 260;
    private const int Left = 70;
    private const int Right = 30; // room for half of "p99.999" centred on the last tick
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"svg" or "html" from the file name, or null for anything else.</summary>
    public static string? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".svg" => "svg",
        ".html" or ".htm" => "html",
        _ => null,
    };

    public static void Write(BenchResult result, string path)
    {
        string svg = Svg(result);
        string text = FormatOf(path) == "html" ? Html(result, svg) : svg;
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    public static string Svg(BenchResult r)
    {
        var s = new StringBuilder();
        int height = 2 * ChartHeight + 130;
        s.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.Append(Inv, $"<text x=\"{Left}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{Escape(Title(r))}</text>\n");
        s.Append(Inv, $"<text x=\"{Left}\" y=\"34\">{Escape(Summary(r))}</text>\n");
        // The first chart's title sits 8 px above its top: 70 leaves a line's room below the summary at 34.
        LatencyChart(s, r, top: 70);
        ThroughputChart(s, r, top: 70 + ChartHeight + 50);
        s.Append("</svg>\n");
        return s.ToString();
    }

    private static string Title(BenchResult r) =>
        $"socketlab bench {EndpointText.HostPort(r.Options.Target)}: {BenchResultWriter.Load(r.Options)}";

    private static string Summary(BenchResult r) =>
        string.Create(Inv, $"{r.MessagesPerSecond:N0} {BenchResultWriter.RateUnit(r.Options)}, {r.MebibytesPerSecond:N2} MiB/s, p50 {r.LatencyMicros(50):0.#} us, p99 {r.LatencyMicros(99):0.#} us, max {r.MaxLatencyMicros:0.#} us, errors {r.Errors}{Loss(r)}");

    private static string Loss(BenchResult r) =>
        r.Datagrams is { } d ? string.Create(Inv, $", lost {d.Lost:N0} ({d.LossPercent:0.###} %)") : "";

    /// <summary>x = log10(1 / (1 - p)): 0 at p0, 1 at p90, 2 at p99, 3 at p99.9 …</summary>
    private static void LatencyChart(StringBuilder s, BenchResult r, int top)
    {
        const double maxX = 5; // p99.999
        int plotWidth = Width - Left - Right;
        int plotHeight = ChartHeight - 40;
        var points = new List<(double X, double Micros)>();
        if (r.Latency.TotalCount > 0)
        {
            for (double x = 0; x <= maxX + 1e-9; x += 0.05)
            {
                double p = 100 * (1 - Math.Pow(10, -x));
                points.Add((x, r.Latency.GetValueAtPercentile(p) / 1000.0));
            }
        }
        double maxY = NiceCeiling(points.Count > 0 ? points.Max(p => p.Micros) : 1);
        Axes(s, top, plotHeight, "latency by percentile (us)", maxY);
        for (int i = 0; i <= (int)maxX; i++)
        {
            double px = Left + i / maxX * plotWidth;
            string label = i == 0 ? "p0" : "p" + (100 * (1 - Math.Pow(10, -i))).ToString("0.###", Inv);
            s.Append(Inv, $"<line x1=\"{px:0.#}\" y1=\"{top}\" x2=\"{px:0.#}\" y2=\"{top + plotHeight}\" stroke=\"#eee\"/>");
            s.Append(Inv, $"<text x=\"{px:0.#}\" y=\"{top + plotHeight + 14}\" text-anchor=\"middle\">{label}</text>\n");
        }
        Polyline(s, points.Select(p => (Left + p.X / maxX * plotWidth, top + plotHeight - p.Micros / maxY * plotHeight)), "#1f77b4");
    }

    private static void ThroughputChart(StringBuilder s, BenchResult r, int top)
    {
        int plotWidth = Width - Left - Right;
        int plotHeight = ChartHeight - 40;
        List<BenchSample> samples = r.Timeline.Where(x => x.Measuring).ToList();
        double maxT = Math.Max(samples.Count > 0 ? samples.Max(x => x.Elapsed.TotalSeconds) : 1, 1e-3);
        double maxY = NiceCeiling(samples.Count > 0 ? samples.Max(x => x.MessagesPerSecond) : 1);
        Axes(s, top, plotHeight, "messages/s over time (s)", maxY);
        for (int i = 0; i <= 4; i++)
        {
            double px = Left + i / 4.0 * plotWidth;
            s.Append(Inv, $"<text x=\"{px:0.#}\" y=\"{top + plotHeight + 14}\" text-anchor=\"middle\">{maxT * i / 4:0.#}</text>\n");
        }
        Polyline(s, samples.Select(x => (Left + x.Elapsed.TotalSeconds / maxT * plotWidth, top + plotHeight - x.MessagesPerSecond / maxY * plotHeight)), "#d62728");
    }

    private static void Axes(StringBuilder s, int top, int plotHeight, string title, double maxY)
    {
        int plotWidth = Width - Left - Right;
        s.Append(Inv, $"<text x=\"{Left}\" y=\"{top - 8}\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (int i = 0; i <= 4; i++)
        {
            double py = top + plotHeight - i / 4.0 * plotHeight;
            s.Append(Inv, $"<line x1=\"{Left}\" y1=\"{py:0.#}\" x2=\"{Left + plotWidth}\" y2=\"{py:0.#}\" stroke=\"#eee\"/>");
            s.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{py + 4:0.#}\" text-anchor=\"end\">{maxY * i / 4:#,0.##}</text>\n");
        }
        s.Append(Inv, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
    }

    private static void Polyline(StringBuilder s, IEnumerable<(double X, double Y)> points, string color)
    {
        s.Append(Inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
        foreach ((double x, double y) in points)
            s.Append(Inv, $"{x:0.#},{y:0.#} ");
        s.Append("\"/>\n");
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="v"/>.</summary>
    private static double NiceCeiling(double v)
    {
        if (v <= 0)
            return 1;
        double p = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (double m in new[] { 1.0, 2, 5, 10 })
            if (m * p >= v)
                return m * p;
        return 10 * p;
    }

    private static string Html(BenchResult r, string svg) =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Escape(Title(r))}</title></head>\n<body>\n{svg}</body></html>\n";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
