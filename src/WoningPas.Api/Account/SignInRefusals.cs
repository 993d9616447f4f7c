using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using WoningPas.Api.Monitoring;

namespace WoningPas.Api.Account;

/// <summary>Why a sign-in that the identity provider completed is still refused here.</summary>
public enum SignInRefusal
{
    AssuranceTooLow,
    NoNationalRegisterNumber,
    WrongTenant,
    NoMultiFactor,
    UnknownRole,
}

/// <summary>
/// A refused sign-in ends on a page that says why, in Dutch and English, and creates nothing: no session, no person.
/// A security event (4001) records the reason, never the token.
/// </summary>
internal static class SignInRefusals
{
    private static readonly Dictionary<SignInRefusal, (string Dutch, string English)> Reasons = new()
    {
        [SignInRefusal.AssuranceTooLow] = (
            "U meldde zich aan met een middel dat niet veilig genoeg is voor persoonsgegevens. Meld u aan met itsme, uw eID of een mobiele app (niveau 'substantieel' of hoger).",
            "You signed in with a means that is not secure enough for personal data. Sign in with itsme, your eID or a mobile app (level 'substantial' or higher)."),
        [SignInRefusal.NoNationalRegisterNumber] = (
            "De aanmeldingsdienst gaf geen geldig rijksregisternummer door. Zonder dat kunnen we uw woningen niet vinden.",
            "The sign-in service sent no valid national register number. Without it we cannot find your dwellings."),
        [SignInRefusal.WrongTenant] = (
            "Dit account hoort niet bij de organisatie die WoningPas beheert.",
            "This account does not belong to the organisation that runs WoningPas."),
        [SignInRefusal.NoMultiFactor] = (
            "Medewerkers melden zich aan met meervoudige authenticatie (MFA). Meld u opnieuw aan met een tweede factor.",
            "Staff sign in with multi-factor authentication (MFA). Sign in again with a second factor."),
        [SignInRefusal.UnknownRole] = (
            "Uw account heeft geen rol in WoningPas. Vraag uw beheerder om een rol (bijvoorbeeld energy.editor).",
            "Your account has no role in WoningPas. Ask your administrator for one (for example energy.editor)."),
    };

    public static Task RefuseAsync(TokenValidatedContext context, SignInRefusal refusal)
    {
        SecurityEvents.For(context.HttpContext).LogSignInFailed(refusal.ToString());
        context.HandleResponse();
        var (dutch, english) = Reasons[refusal];
        return WritePageAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Aanmelden geweigerd", "Sign-in refused",
            dutch, english);
    }

    /// <summary>
    /// The provider's answer could not be used: a token with the wrong issuer, audience or signature, an expired one,
    /// a state that does not match. The person may simply try again.
    /// </summary>
    public static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        SecurityEvents.For(context.HttpContext).LogSignInFailed(context.Failure?.GetType().Name ?? "remote failure");
        context.HandleResponse();
        return WritePageAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Aanmelden mislukt", "Sign-in failed",
            "Het antwoord van de aanmeldingsdienst kon niet worden aanvaard. Probeer opnieuw aan te melden.",
            "The sign-in service's answer could not be accepted. Please try signing in again.");
    }

    private static async Task WritePageAsync(HttpContext context, int status, string titleDutch, string titleEnglish,
        string dutch, string english)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = $"""
            <!doctype html>
            <html lang="nl-BE"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{titleDutch} – WoningPas</title></head>
            <body><main>
            <h1>{titleDutch}</h1><p>{WebUtility.HtmlEncode(dutch)}</p><p><a href="/">Naar de startpagina</a></p>
            <h2 lang="en">{titleEnglish}</h2><p lang="en">{WebUtility.HtmlEncode(english)}</p>
            </main></body></html>
            """;
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
