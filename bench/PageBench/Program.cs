// The page under a flood, measured in Debian's chromium (bench/page.sh): how soon the log catches up
// with the wire, how fast a click or a key answers meanwhile, how long the longest frame is when a
// large binary arrives in hex view, and whether the JS heap stays bounded. It drives any build's
// `socketlab ui` as a process, so an older build can be measured in the same run.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

var args_ = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2)
    args_[args[i].TrimStart('-')] = args[i + 1];
string cli = args_.GetValueOrDefault("cli") ?? throw new ArgumentException("--cli PATH/SocketLab.dll is required");
string label = args_.GetValueOrDefault("label") ?? Path.GetFileName(Path.GetDirectoryName(cli)) ?? "build";
int rate = int.Parse(args_.GetValueOrDefault("rate") ?? "10000", CultureInfo.InvariantCulture);
int burstSeconds = int.Parse(args_.GetValueOrDefault("seconds") ?? "10", CultureInfo.InvariantCulture);
int heapSeconds = int.Parse(args_.GetValueOrDefault("heap-seconds") ?? "60", CultureInfo.InvariantCulture);
int hexBytes = int.Parse(args_.GetValueOrDefault("hex-bytes") ?? (1024 * 1024).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

string dataDir = Path.Combine(Path.GetTempPath(), "socketlab-pagebench-" + Guid.NewGuid().ToString("N"));
using Process ui = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "ui", "--port", "0", "--data-dir", dataDir])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
})!;
try
{
    string pageUrl = (await ui.StandardOutput.ReadLineAsync())!.Trim();
    var pageUri = new Uri(pageUrl);
    string token = pageUri.Query.Split("token=")[1];
    using var http = new HttpClient { BaseAddress = new Uri(pageUri.GetLeftPart(UriPartial.Authority)) };
    http.DefaultRequestHeaders.Add("X-SocketLab-Token", token);

    using IPlaywright playwright = await Playwright.CreateAsync();
    await using IBrowser browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    var result = new Dictionary<string, object> { ["build"] = label };

    // 1. A burst of UDP datagrams at `rate` per second: catch-up time and input latency during it.
    {
        IPage page = await NewPageAsync(browser, pageUrl);
        string id = await CreateAsync(http, "udp");
        JsonElement started = await PostAsync(http, $"/api/sessions/{id}/start", new { port = 0 });
        string local = started.GetProperty("details").GetProperty("local").GetString()!;
        int port = int.Parse(local[(local.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        await page.Locator(".tab").Last.ClickAsync();
        await page.EvaluateAsync(EventTimingScript);

        int total = rate * burstSeconds;
        var sending = Task.Run(() => SendDatagrams(port, rate, total));
        var inputDelays = new List<double>();
        var clock = Stopwatch.StartNew();
        while (!sending.IsCompleted)
        {
            // A keystroke in the send box and a click on the view picker, as a user would try.
            var sw = Stopwatch.StartNew();
            await page.Locator("section.panel.active [data-testid=send-text]").PressAsync("x");
            inputDelays.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await page.Locator("section.panel.active [data-testid=show-eol]").ClickAsync();
            inputDelays.Add(sw.Elapsed.TotalMilliseconds);
            await Task.Delay(250);
        }
        double lastSentAt = (await sending).TotalMilliseconds;
        long lastSeq = await LastRxSeqAsync(http, id);
        // Caught up: the newest logged line is on screen.
        await page.WaitForFunctionAsync(@"seq => {
            const rows = document.querySelectorAll('section.panel.active .log .entry');
            const last = rows[rows.length - 1];
            return last && Number(last.dataset.seq) >= seq; }", lastSeq, new() { Timeout = 600_000, PollingInterval = 20 });
        double caughtUp = clock.Elapsed.TotalMilliseconds - lastSentAt;
        JsonElement timing = await page.EvaluateAsync<JsonElement>("() => window.__bench");
        long logged = await RxCountAsync(http, id);
        result["burst"] = new
        {
            rate,
            seconds = burstSeconds,
            sent = total,
            logged,
            caught_up_ms = Math.Round(caughtUp),
            input_roundtrip_ms_max = Math.Round(inputDelays.Max()),
            input_roundtrip_ms_p95 = Math.Round(Percentile(inputDelays, 0.95)),
            event_duration_ms_max = timing.GetProperty("maxEvent").GetDouble(),
            long_frame_ms_max = timing.GetProperty("maxFrame").GetDouble(),
        };
        await page.CloseAsync();
        await http.DeleteAsync($"/api/sessions/{id}");
    }

    // 2. A large binary in hex view: the longest frame while it is shown.
    {
        IPage page = await NewPageAsync(browser, pageUrl);
        string id = await CreateAsync(http, "tcpServer");
        JsonElement started = await PostAsync(http, $"/api/sessions/{id}/start", new { address = "127.0.0.1", port = 0, echo = false });
        string on = started.GetProperty("details").GetProperty("listeningOn").GetString()!;
        int port = int.Parse(on[(on.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        await page.Locator(".tab").Last.ClickAsync();
        await page.Locator("section.panel.active [data-testid=view]").SelectOptionAsync("hex");
        await page.EvaluateAsync(EventTimingScript);
        using var board = new TcpClient();
        await board.ConnectAsync(IPAddress.Loopback, port);
        byte[] blob = new byte[hexBytes];
        new Random(11).NextBytes(blob);
        var clock = Stopwatch.StartNew();
        await board.GetStream().WriteAsync(blob);
        await WaitAsync(async () => await RxBytesAsync(http, id) >= hexBytes);
        long lastSeq = await LastRxSeqAsync(http, id);
        await page.WaitForFunctionAsync(@"seq => {
            const rows = document.querySelectorAll('section.panel.active .log .entry');
            const last = rows[rows.length - 1];
            return last && Number(last.dataset.seq) >= seq; }", lastSeq, new() { Timeout = 600_000, PollingInterval = 20 });
        double shown = clock.Elapsed.TotalMilliseconds;
        // Scroll back through what arrived, as a user reading the dump would.
        for (int i = 0; i < 20; i++)
        {
            await page.Locator("section.panel.active .log").EvaluateAsync("el => el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight)");
            await page.WaitForTimeoutAsync(30);
        }
        await page.WaitForTimeoutAsync(300);
        JsonElement timing = await page.EvaluateAsync<JsonElement>("() => window.__bench");
        result["hex"] = new { bytes = hexBytes, shown_ms = Math.Round(shown), long_frame_ms_max = timing.GetProperty("maxFrame").GetDouble() };
        await page.CloseAsync();
        await http.DeleteAsync($"/api/sessions/{id}");
    }

    // 3. A long burst: the JS heap after a forced GC, every 5 s.
    if (heapSeconds > 0)
    {
        IPage page = await NewPageAsync(browser, pageUrl);
        ICDPSession cdp = await page.Context.NewCDPSessionAsync(page);
        string id = await CreateAsync(http, "udp");
        JsonElement started = await PostAsync(http, $"/api/sessions/{id}/start", new { port = 0 });
        string local = started.GetProperty("details").GetProperty("local").GetString()!;
        int port = int.Parse(local[(local.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        await page.Locator(".tab").Last.ClickAsync();
        var sending = Task.Run(() => SendDatagrams(port, rate, rate * heapSeconds));
        var samples = new List<double>();
        while (!sending.IsCompleted)
        {
            await Task.Delay(5000);
            await cdp.SendAsync("HeapProfiler.collectGarbage");
            JsonElement? heap = await cdp.SendAsync("Runtime.getHeapUsage");
            samples.Add(Math.Round(heap!.Value.GetProperty("usedSize").GetDouble() / 1048576, 1));
        }
        result["heap"] = new { rate, seconds = heapSeconds, used_mib_every_5s = samples };
        await page.CloseAsync();
    }

    Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
}
finally
{
    if (!ui.HasExited)
        ui.Kill(entireProcessTree: true);
    await ui.WaitForExitAsync();
    try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
}

static async Task<IPage> NewPageAsync(IBrowser browser, string url)
{
    IBrowserContext context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "zh-CN" });
    IPage page = await context.NewPageAsync();
    page.SetDefaultTimeout(120_000);
    await page.GotoAsync(url);
    await page.WaitForSelectorAsync(".link.on");
    return page;
}

static async Task<string> CreateAsync(HttpClient http, string kind) =>
    (await PostAsync(http, "/api/sessions", new { kind })).GetProperty("id").GetString()!;

static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
{
    using HttpResponseMessage r = await http.PostAsJsonAsync(path, body);
    r.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
}

static async Task<JsonElement> SessionAsync(HttpClient http, string id) =>
    JsonDocument.Parse(await http.GetStringAsync($"/api/sessions/{id}?tail=1")).RootElement.Clone();

static async Task<long> RxCountAsync(HttpClient http, string id) => (await SessionAsync(http, id)).GetProperty("rxCount").GetInt64();

static async Task<long> RxBytesAsync(HttpClient http, string id) => (await SessionAsync(http, id)).GetProperty("rxBytes").GetInt64();

static async Task<long> LastRxSeqAsync(HttpClient http, string id)
{
    // Let the last datagrams reach the log first (the socket's queue drains in a few ms).
    long before = -1, now = await RxCountAsync(http, id);
    while (now != before)
    {
        await Task.Delay(200);
        before = now;
        now = await RxCountAsync(http, id);
    }
    return (await SessionAsync(http, id)).GetProperty("log")[0].GetProperty("seq").GetInt64();
}

static async Task WaitAsync(Func<Task<bool>> condition)
{
    var deadline = DateTime.UtcNow.AddMinutes(5);
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
            throw new TimeoutException("the page bench waited 5 minutes");
        await Task.Delay(20);
    }
}

// Sends `total` datagrams at `rate` per second in 1-ms ticks; returns when the last went out.
static TimeSpan SendDatagrams(int port, int rate, int total)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.Connect(IPAddress.Loopback, port);
    var clock = Stopwatch.StartNew();
    byte[] buffer = new byte[64];
    for (int sent = 0; sent < total;)
    {
        long due = (long)(clock.Elapsed.TotalSeconds * rate);
        for (; sent < Math.Min(due, total); sent++)
        {
            int n = Encoding.ASCII.GetBytes($"reading #{sent} temp=21.5 hum=40\n", buffer);
            socket.Send(buffer.AsSpan(0, n));
        }
        Thread.Sleep(1);
    }
    return clock.Elapsed;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

partial class Program
{
    // Event Timing (input to next paint) and Long Animation Frames, as Chrome reports them.
    const string EventTimingScript = @"() => {
        window.__bench = { maxEvent: 0, maxFrame: 0 };
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__bench.maxEvent = Math.max(window.__bench.maxEvent, e.duration); })
            .observe({ type: 'event', durationThreshold: 16, buffered: false });
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__bench.maxFrame = Math.max(window.__bench.maxFrame, e.duration); })
            .observe({ type: 'long-animation-frame', buffered: false });
    }";
}
