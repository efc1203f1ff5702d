using System.Reflection;
using Microsoft.Playwright;

namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>
/// One headless Debian chromium for the browser tests, driven by Playwright through ExecutablePath
/// (no browser download: scripts/install-deps.sh installs the distribution's chromium).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static string ScreenshotDir { get; } = typeof(BrowserFixture).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ScreenshotDir").Value!;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run 'bash scripts/install-deps.sh' as root");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Timeout = 60_000,
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    /// <summary>A fresh page (own storage) in the given language, with console errors collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> NewPageAsync(string locale = "en-US", int width = 1400, int height = 1000)
    {
        // Below 600 px: a phone (touch, mobile viewport rules), as a student would hold it.
        bool phone = width < 600;
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            AcceptDownloads = true,
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        return (page, errors);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
