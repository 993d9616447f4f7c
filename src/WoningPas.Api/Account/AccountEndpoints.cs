using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Monitoring;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;
using WoningPas.Domain;

namespace WoningPas.Api.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder routes)
    {
        var environment = routes.ServiceProvider.GetRequiredService<IHostEnvironment>();
        var configuration = routes.ServiceProvider.GetRequiredService<IConfiguration>();
        var usesOpenIdConnect = Authentication.UsesOpenIdConnect(configuration, environment);
        var account = routes.MapGroup("/account").AllowAnonymous();

        account.MapGet("/login", (string? returnUrl) => usesOpenIdConnect
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = Authentication.SafeReturnUrl(returnUrl) },
                [OpenIdConnectDefaults.AuthenticationScheme])
            : Results.Content(DevPersonaPage(Authentication.SafeReturnUrl(returnUrl)), "text/html; charset=utf-8"));

        account.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });

        if (environment.IsDevelopment())
        {
            account.MapGet("/dev-login", DevLoginAsync);
        }

        // An unknown account path is simply not there, for everyone: no sign-in redirect that hints at a hidden route.
        account.MapFallback(() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
            title: "Not found", type: ProblemTypes.NotFound));

        return routes;
    }

    /// <summary>Development only: signs in as one of the seeded demo personas, without an identity provider.</summary>
    private static async Task<IResult> DevLoginAsync(HttpContext context, string? persona, string? returnUrl)
    {
        var match = DemoData.Personas.FirstOrDefault(p => p.Name == persona);
        if (match is null)
        {
            SecurityEvents.For(context).LogSignInFailed("unknown demo persona");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Unknown persona",
                detail: $"persona must be one of: {string.Join(", ", DemoData.Personas.Select(p => p.Name))}.",
                type: ProblemTypes.Validation);
        }

        var (subjectId, displayName) = (match.SubjectId, match.DisplayName);
        if (match.Insz is { } insz)
        {
            // A citizen is found by national register number through the blind index, as at a real sign-in.
            (subjectId, displayName) = await CitizenSignIn.FindOrAddAsync(
                context.RequestServices.GetRequiredService<WoningPasDbContext>(),
                context.RequestServices.GetRequiredService<KeyRingCache>(), Insz.Parse(insz), match.DisplayName,
                context.RequestAborted);
        }

        await Authentication.SignInAsync(context, WoningPasClaims.CreateIdentity(
            CookieAuthenticationDefaults.AuthenticationScheme, subjectId, displayName, match.Role,
            match.Organisation, match.Email));
        return Results.LocalRedirect(Authentication.SafeReturnUrl(returnUrl));
    }

    private static string DevPersonaPage(string returnUrl)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"nl-BE\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Aanmelden (ontwikkeling) – WoningPas</title></head><body><main>")
            .Append("<h1>Aanmelden als demopersoon</h1>")
            .Append("<p>Deze pagina bestaat alleen in de ontwikkelomgeving.</p><ul>");
        foreach (var persona in DemoData.Personas)
        {
            var href = $"/account/dev-login?persona={Uri.EscapeDataString(persona.Name)}&returnUrl={Uri.EscapeDataString(returnUrl)}";
            html.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">")
                .Append(WebUtility.HtmlEncode(persona.Name)).Append("</a> – ")
                .Append(WebUtility.HtmlEncode(persona.Role)).Append("</li>");
        }

        return html.Append("</ul></main></body></html>").ToString();
    }
}
