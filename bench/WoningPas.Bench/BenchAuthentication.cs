using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WoningPas.Api.Account;
using WoningPas.Data;

namespace WoningPas.Bench;

/// <summary>
/// Benchmark-only sign-in: the subject id in a header becomes a citizen session, so that the load generator can act
/// as thousands of different holders without an identity provider. Never part of a product host.
/// </summary>
internal sealed class BenchAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger, UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "bench";
    public const string Header = "X-Bench-Subject";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Guid.TryParse(Request.Headers[Header], out var subject))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = WoningPasClaims.CreateIdentity(SchemeName, subject, "bench", Roles.Citizen, null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    public static void Use(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BenchAuthenticationHandler>(SchemeName, null);
        builder.Services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = SchemeName;
            o.DefaultAuthenticateScheme = SchemeName;
            o.DefaultChallengeScheme = SchemeName;
        });
    }
}
