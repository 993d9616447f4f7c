using Microsoft.Playwright;

namespace WoningPas.EndToEnd.Tests;

/// <summary>Sign-in for the browser tests, through the real OpenID Connect flow.</summary>
internal static class Personas
{
    /// <summary>
    /// Signs in through the local run's shortcut (the code flow with login_hint at the stand-in) and waits until the
    /// landing step has continued to <paramref name="returnUrl"/>: its same-site navigation comes after the first load.
    /// </summary>
    public static async Task SignInAsync(IPage page, string persona, string returnUrl)
    {
        await page.GotoAsync($"/account/dev-login?persona={Uri.EscapeDataString(persona)}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        // Polled rather than awaited as a navigation: the landing page's refresh may already have happened, or not yet.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new Uri(page.Url).PathAndQuery != returnUrl)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Signing in as {persona} stayed at {page.Url}.");
            }

            await Task.Delay(50);
        }

        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
