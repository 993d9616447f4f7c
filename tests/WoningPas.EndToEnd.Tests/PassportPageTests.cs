using Microsoft.Playwright;

namespace WoningPas.EndToEnd.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PassportPageTests(BrowserStack stack)
{
    /// <summary>The whole way in, as a person takes it: the site's link, the provider's form, back to the passport.</summary>
    [Fact]
    public async Task Citizen_signs_in_on_the_providers_form_and_sees_the_epc_label_loaded_from_the_api()
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/woningpas");
        var signIn = page.Locator("[data-testid=sign-in]");
        await signIn.WaitForAsync();
        await signIn.ClickAsync();
        await page.GetByLabel("Gebruikersnaam").FillAsync("citizen-a");
        await page.GetByLabel("Wachtwoord").FillAsync(stack.Identity.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        await page.WaitForURLAsync("**/woningpas");
        // Dwellings come sorted by municipality, so the Gent house (the one with an EPC) is the second choice.
        await page.GetByRole(AriaRole.Radio, new() { Name = "Kerkstraat 12" }).CheckAsync();
        var label = page.Locator("[data-epc-label]");
        await label.WaitForAsync();

        Assert.Equal("E", (await label.TextContentAsync())?.Trim());
        Assert.Contains("Kerkstraat 12", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_visitor_is_offered_a_sign_in_link_instead_of_data()
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/woningpas");
        var signIn = page.Locator("[data-testid=sign-in]");
        await signIn.WaitForAsync();

        Assert.Equal("/account/login?returnUrl=%2Fwoningpas", await signIn.GetAttributeAsync("href"));
        Assert.Equal(0, await page.Locator("[data-epc-label]").CountAsync());
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/woningpas", false)]
    [InlineData("/woningpas", true)]
    public async Task Pages_have_no_serious_or_critical_accessibility_violations(string path, bool signedIn)
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await context.NewPageAsync();
        if (signedIn)
        {
            await Personas.SignInAsync(page, "citizen-a", "/woningpas");
            await page.Locator("#passport[data-state=ready]").WaitForAsync();
        }
        else
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.Load);
            if (path == "/woningpas")
            {
                await page.Locator("#passport[data-state=signed-out]").WaitForAsync();
            }
        }

        await Axe.AssertNoBlockingViolationsAsync(page);
    }
}
