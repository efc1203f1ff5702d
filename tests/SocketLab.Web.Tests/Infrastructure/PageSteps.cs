using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>What the browser tests click again and again, in one place.</summary>
public static class PageSteps
{
    /// <summary>A control of the visible session tab, by its data-testid.</summary>
    public static ILocator Field(IPage page, string testId) => page.Locator("section.panel.active").GetByTestId(testId);

    /// <summary>The port at the end of the session's "where" line (e.g. 127.0.0.1:40123).</summary>
    public static async Task<int> ShownPortAsync(IPage page) =>
        int.Parse(Regex.Match(await Field(page, "where").InnerTextAsync(), @":(\d+)$").Groups[1].Value);

    /// <summary>Opens a new session tab and waits until it is the one shown (the fields then belong to it).</summary>
    public static async Task NewTabAsync(IPage page, string kind)
    {
        int before = await page.Locator(".tab").CountAsync();
        await page.GetByTestId("new-" + kind).ClickAsync();
        await Assertions.Expect(page.Locator(".tab")).ToHaveCountAsync(before + 1);
        await Assertions.Expect(page.Locator(".tab").Last).ToHaveClassAsync(new Regex("active"));
    }

    /// <summary>Opens a TCP server tab on a free loopback port from the page and returns the port.</summary>
    public static async Task<int> ListenAsync(IPage page, bool echo)
    {
        await NewTabAsync(page, "tcpServer");
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync("0");
        await Field(page, "echo").SetCheckedAsync(echo);
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        return await ShownPortAsync(page);
    }

    /// <summary>Waits (up to 10 s) for a condition on the server side of a page test.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
    }
}
