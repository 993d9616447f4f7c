using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace WoningPas.EndToEnd.Tests;

/// <summary>
/// The passport UI signed in: every section a card, keyboard only, and the states a citizen must understand (sign in,
/// busy with the wait, stale and unavailable data). Api answers the real stack cannot produce on demand are made by
/// Playwright's request routing; everything else is the real Api.
/// </summary>
public sealed class PassportStatesTests(BrowserStack stack) : IClassFixture<BrowserStack>
{
    private static readonly string[] Sections =
        ["address", "epc", "renovation", "asbestos", "soil", "flood", "permits", "conformity", "installations", "documents"];

    [Theory]
    [InlineData("/woningpas")]
    [InlineData("/en/passport")]
    public async Task Signed_in_every_section_is_a_card_with_a_status(string path)
    {
        var page = await SignedInAsync(path);

        var cards = page.Locator("[data-testid=cards] > .card");
        Assert.Equal(Sections, await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.section)"));
        foreach (var section in Sections.Skip(1))
        {
            var status = page.Locator($".card[data-section={section}] .card__status [data-status]");
            Assert.Contains(await status.GetAttributeAsync("data-status"),
                new[] { "valid", "expiring", "expired", "missing", "notRequired" });
        }

        Assert.True(await page.Locator("#passport-reminders").IsVisibleAsync());
    }

    [Fact]
    public async Task Keyboard_only_a_citizen_picks_a_dwelling_and_walks_through_every_card()
    {
        var page = await SignedInAsync("/woningpas");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");

        // From the main landmark: the sign-out button, then the picker's checked radio; arrows change the dwelling.
        var first = await page.EvaluateAsync<string>("document.querySelector('input[name=dwelling]:checked').value");
        await TabUntilAsync(page, "document.activeElement.name === 'dwelling'");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Locator("#passport[data-state=ready]").WaitForAsync();
        var second = await page.EvaluateAsync<string>("document.activeElement.value");
        Assert.NotEqual(first, second);
        Assert.Equal(second, await page.EvaluateAsync<string>("document.querySelector('input[name=dwelling]:checked').value"));
        Assert.Contains("E", await page.Locator("[data-epc-label]").AllTextContentsAsync());

        // Every card's link is reached in the order of the passport, each with a visible focus outline.
        var reached = new List<string>();
        for (var i = 0; i < 60 && reached.Count < Sections.Length - 1; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var section = await page.EvaluateAsync<string?>("document.activeElement.closest('.card')?.dataset.section ?? null");
            if (section is not null && !reached.Contains(section))
            {
                reached.Add(section);
                Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
            }
        }

        Assert.Equal(Sections.Skip(1), reached);
        // The documents card starts with its download links (when there are documents) before its guide link.
        const string guideLink = "document.activeElement.matches('[data-section=documents] .card__more')";
        if (!await page.EvaluateAsync<bool>(guideLink))
        {
            await TabUntilAsync(page, guideLink);
        }

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/wat-staat-erin/documenten");
    }

    [Theory]
    [InlineData("/woningpas", "Aanmelden", "/account/login?returnUrl=%2Fwoningpas")]
    [InlineData("/en/passport", "Sign in", "/account/login?returnUrl=%2Fen%2Fpassport")]
    public async Task Signed_out_the_401_state_offers_sign_in(string path, string name, string href)
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(path);
        await page.Locator("#passport[data-state=signed-out]").WaitForAsync();

        var signIn = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
        Assert.Equal(href, await signIn.GetAttributeAsync("href"));
        Assert.True(await page.Locator("#passport-reminders").IsHiddenAsync());
    }

    [Theory]
    [InlineData(429, "30", "/woningpas", "Probeer het over 30 seconden opnieuw.")]
    [InlineData(503, "120", "/en/passport", "Please try again in 2 minutes.")]
    public async Task Busy_the_429_and_503_states_say_how_long_to_wait_and_retry(int status, string retryAfter, string path,
        string wait)
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/hulp-bij-aanmelden");
        var answered = 0;
        await page.RouteAsync("**/api/dwellings", async route =>
        {
            if (Interlocked.Increment(ref answered) == 1)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = status,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter },
                    Body = "{\"title\":\"Too many requests\"}",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await page.GotoAsync(path);
        var busy = page.Locator("[data-testid=busy]");
        await busy.WaitForAsync();

        Assert.Contains(wait, await busy.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("unavailable", await page.Locator("#passport").GetAttributeAsync("data-state"));
        Assert.Equal(retryAfter, await busy.GetAttributeAsync("data-retry-after"));
        await page.Locator("[data-testid=retry]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#passport[data-state=ready]").WaitForAsync();
    }

    [Fact]
    public async Task Stale_and_unavailable_sections_are_marked_and_the_rest_still_shows()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/hulp-bij-aanmelden");
        await page.RouteAsync("**/api/dwellings/*/passport", async route =>
        {
            var response = await route.FetchAsync();
            var passport = JsonNode.Parse(await response.TextAsync())!;
            passport["sections"]!["epc"]!["stale"] = true;
            passport["sections"]!["epc"]!["ageSeconds"] = 3 * 3600;
            passport["sections"]!["flood"] = new JsonObject { ["status"] = "unavailable" };
            passport["sections"]!.AsObject().Remove("permits");
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = passport.ToJsonString() });
        });

        await page.GotoAsync("/woningpas");
        await page.Locator("#passport[data-state=ready]").WaitForAsync();

        Assert.Equal("stale", await page.Locator(".card[data-section=epc]").GetAttributeAsync("data-state"));
        Assert.Contains("3 uur oud", await page.Locator(".card[data-section=epc] [data-testid=stale]").InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.Equal("unavailable", await page.Locator(".card[data-section=flood]").GetAttributeAsync("data-state"));
        Assert.Equal("unavailable", await page.Locator(".card[data-section=permits]").GetAttributeAsync("data-state"));
        Assert.Contains("tijdelijk niet beschikbaar", await page.Locator(".card[data-section=flood]").InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.Equal("current", await page.Locator(".card[data-section=asbestos]").GetAttributeAsync("data-state"));
    }

    [Fact]
    public async Task Reminders_list_what_expires_with_its_date_and_the_days_left()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/hulp-bij-aanmelden");
        await page.RouteAsync("**/api/me/reminders", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = """
                {"reminders":[{"dwellingId":"00000000-0000-0000-0000-000000000001","address":"Kerkstraat 12, 9000 Gent",
                "section":"epc","reference":"EPC-1","validUntil":"2027-01-15","daysLeft":52,"thresholdDays":90,"status":"expiring"}]}
                """,
        }));

        await page.GotoAsync("/en/passport");
        var reminder = page.Locator("[data-testid=reminders] li[data-section=epc]");
        await reminder.WaitForAsync();

        var text = await reminder.InnerTextAsync();
        Assert.Contains("15 January 2027", text, StringComparison.Ordinal);
        Assert.Contains("52 days left", text, StringComparison.Ordinal);
        Assert.Contains("expiring soon", text, StringComparison.Ordinal);
    }

    private async Task<IBrowserContext> NewContextAsync() =>
        await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });

    private async Task<IPage> SignedInAsync(string path)
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", path);
        await page.Locator("#passport[data-state=ready]").WaitForAsync();
        return page;
    }

    private static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 20; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached: {condition}");
    }
}
