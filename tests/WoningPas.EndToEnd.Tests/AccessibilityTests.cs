using Microsoft.Playwright;
using WoningPas.Web.Localization;

namespace WoningPas.EndToEnd.Tests;

/// <summary>WCAG 2.2 AA as axe-core judges it: no serious or critical violation on any public page, in both languages.</summary>
public sealed class AccessibilityTests(BrowserStack stack) : IClassFixture<BrowserStack>
{
    public static TheoryData<string> Paths() => new(SitePages.AllPaths());

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Public_page_has_no_serious_or_critical_violation(string path)
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        if (path is "/woningpas" or "/en/passport")
        {
            await page.Locator("#passport[data-state=signed-out]").WaitForAsync();
        }

        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    [Theory]
    [InlineData("/woningpas")]
    [InlineData("/en/passport")]
    [InlineData("/en/does-not-exist")]
    public async Task Signed_in_passport_and_not_found_page_have_no_serious_or_critical_violation(string path)
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", path);
        if (!path.Contains("does-not", StringComparison.Ordinal))
        {
            await page.Locator("#passport[data-state=ready]").WaitForAsync();
            await page.Locator("#reminders-list > *").First.WaitForAsync();
            // With the documents, report, sharing and access-log features in place, the log opened.
            await page.Locator("[data-testid=shares][data-state=ready]").WaitForAsync();
            await page.Locator("[data-testid=cards][data-reports=ready]").WaitForAsync();
            await page.Locator("[data-testid=access-log-toggle]").ClickAsync();
            await page.Locator("#access-log-body[data-state=ready]").WaitForAsync();
        }

        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    [Fact]
    public async Task On_a_phone_the_passport_needs_no_horizontal_scrolling()
    {
        await using var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.EdgeUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 320, Height = 640 },
        });
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/woningpas");
        await page.Locator("#passport[data-state=ready]").WaitForAsync();
        // The forms too: documents, reports, sharing (with every section to choose) and the access log.
        await page.Locator("[data-testid=shares][data-state=ready]").WaitForAsync();
        await page.Locator("[data-testid=cards][data-reports=ready]").WaitForAsync();
        await page.Locator("[data-testid=report-epc] [data-testid=report-toggle]").ClickAsync();

        var overflowing = await page.EvaluateAsync<string[]>("""
            (() => {
              const wide = (rect) => rect.right > window.innerWidth + 0.5;
              const texts = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(node);
                if (wide(range.getBoundingClientRect()) && !node.parentElement.closest('.visually-hidden')) {
                  texts.push(`text "${node.textContent.trim().slice(0, 40)}" in ${node.parentElement.className}`);
                }
              }
              return [...document.querySelectorAll('body *')]
                .filter(e => wide(e.getBoundingClientRect()))
                .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`)
                .concat(texts);
            })()
            """);
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(overflowing.Length == 0 && scrollWidth <= 320,
            $"scroll width {scrollWidth}; "
            +
            "wider than 320 CSS pixels (WCAG 1.4.10 reflow): " + string.Join(", ", overflowing));
    }
}
