using WoningPas.IdentityProvider;

namespace WoningPas.DevHost.Edge;

/// <summary>
/// The local run's one-request sign-in, which exists only here, never in the Api or Web:
/// <c>/account/dev-login?persona=NAME&amp;returnUrl=PATH</c> starts the real code flow with <c>login_hint</c>, and the
/// stand-in signs that persona in without its form. A browser, or <c>curl -L</c> with a cookie jar, ends signed in.
/// </summary>
internal static class PersonaShortcut
{
    public static void MapPersonaShortcut(this WebApplication app, StandInIdentityProvider identity) =>
        app.MapGet("/account/dev-login", (string? persona, string? returnUrl) =>
        {
            var user = persona is null ? null : identity.User(persona);
            if (user is null)
            {
                var names = string.Join(", ", identity.Options.Users.Select(u => u.UserName));
                return Results.Problem(statusCode: 400, title: "Unknown persona", detail: $"persona must be one of: {names}.");
            }

            var provider = user.Issuer == IssuerKind.Staff ? "staff" : "citizen";
            return Results.Redirect($"/account/login?provider={provider}&login_hint={Uri.EscapeDataString(user.UserName)}"
                + $"&returnUrl={Uri.EscapeDataString(returnUrl ?? "/woningpas")}");
        });
}
