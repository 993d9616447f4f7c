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
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == returnUrl);
    }
}
