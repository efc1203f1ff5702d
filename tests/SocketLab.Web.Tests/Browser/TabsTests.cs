using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>Several sessions at once: the page's own client talks to the page's own server, with an auto-reply rule set in the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TabsTests(BrowserFixture browser)
{
    [Fact]
    public async Task Client_tab_talks_to_server_tab_and_an_auto_reply_rule_answers()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());

        await NewTabAsync(page, "tcpServer");
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync("0");
        await Field(page, "echo").UncheckAsync();
        await Field(page, "add-rule").ClickAsync();
        ILocator rule = page.Locator("section.panel.active .rule");
        await rule.Locator("[data-r=match]").SelectOptionAsync("regex");
        await rule.Locator("[data-r=pattern]").FillAsync(@"^ping (\d+)");
        await rule.Locator("[data-r=reply]").FillAsync("pong {{1}} #{{counter}}");
        await Field(page, "save-rules").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToHaveTextAsync("Rules saved");
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        string port = (await ShownPortAsync(page)).ToString();

        await NewTabAsync(page, "tcpClient");
        await Assertions.Expect(page.Locator(".tab.active")).ToContainTextAsync("TCP Client");
        await Field(page, "port").FillAsync(port);
        await Field(page, "echo").UncheckAsync();
        await Field(page, "greeting").FillAsync("");
        await Field(page, "connect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");
        await Field(page, "send-text").FillAsync("ping 42");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToContainTextAsync("pong 42 #1");

        await page.Locator(".tab", new() { HasText = "TCP Server" }).ClickAsync();
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToContainTextAsync("ping 42");
        await Assertions.Expect(Field(page, "log").Locator(".entry.tx")).ToContainTextAsync("pong 42 #1");
        await Assertions.Expect(page.Locator(".tab")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "two-tabs");
        Assert.Empty(errors);
    }
}
