using System.Text.Json;
using Microsoft.Playwright;
using WoningPas.Data.Demo;

namespace WoningPas.EndToEnd.Tests;

/// <summary>A holder shares the EPC as a link; someone without an account opens it in a fresh browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SharedLinkPageTests(BrowserStack stack)
{
    [Fact]
    public async Task A_link_shows_only_the_shared_sections_until_the_holder_revokes_it()
    {
        await using var holder = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var holderPage = await holder.NewPageAsync();
        await Personas.SignInAsync(holderPage, "citizen-a", "/woningpas");
        var created = await holder.APIRequest.PostAsync($"/api/dwellings/{DemoData.GentHouseId}/shares", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["X-WoningPas-Csrf"] = "1" },
            DataObject = new { sections = new[] { "epc" }, link = true, expiresOn = "2027-06-30" },
        });
        Assert.Equal(201, created.Status);
        using var body = JsonDocument.Parse(await created.TextAsync());
        var linkUrl = body.RootElement.GetProperty("linkUrl").GetString()!;
        var shareId = body.RootElement.GetProperty("share").GetProperty("id").GetString();

        await using var recipient = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await recipient.NewPageAsync();
        await page.GotoAsync(linkUrl);
        await page.Locator("#shared[data-state=loaded]").WaitForAsync();
        var text = await page.Locator("main").InnerTextAsync();
        await Axe.AssertNoBlockingViolationsAsync(page);

        Assert.Contains("Kerkstraat 12", text, StringComparison.Ordinal);
        Assert.Contains("Energieprestatiecertificaat", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Vergunningen", text, StringComparison.Ordinal);

        var revoked = await holder.APIRequest.DeleteAsync($"/api/dwellings/{DemoData.GentHouseId}/shares/{shareId}",
            new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["X-WoningPas-Csrf"] = "1" } });
        Assert.Equal(204, revoked.Status);
        await page.ReloadAsync();
        await page.Locator("#shared[data-state=revoked]").WaitForAsync();
        Assert.DoesNotContain("Kerkstraat", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }
}
