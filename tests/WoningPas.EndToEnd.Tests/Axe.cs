using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WoningPas.EndToEnd.Tests;

/// <summary>The accessibility bar every browser test holds a page to: no serious or critical axe-core violation.</summary>
internal static class Axe
{
    public static async Task AssertNoBlockingViolationsAsync(IPage page)
    {
        var results = await page.RunAxe();
        var blocking = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(blocking.Count == 0, string.Join(Environment.NewLine, blocking));
    }
}
