using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;

namespace WoningPas.Api.Sharing;

/// <summary>
/// Share links. A token is 256 random bits, shown to the holder once; the database keeps only its SHA-256. The
/// recipient's page reads the token from the URL fragment (never sent to any server, so never in a log or a
/// Referer) and presents it in the <see cref="HeaderName"/> header, which no request log records.
/// </summary>
public static class ShareLinks
{
    public const string Scheme = "share-link";
    public const string HeaderName = "X-WoningPas-Share";

    /// <summary>
    /// Where the recipient opens a link: the Web's bilingual share page (Dutch path; it links its English twin and
    /// carries the fragment along), with the token in the fragment. Links made before it moved still work: the Web
    /// redirects the old path, and browsers keep the fragment across a redirect.
    /// </summary>
    public const string PagePath = "/gedeeld";

    private const int TokenBytes = 32;

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>43 base64url characters: anything else is not worth a database lookup.</summary>
    public static bool IsWellFormed(string token) =>
        token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>
/// Authenticates a request that presents a share link: the share must exist, be unrevoked and unexpired today, so
/// revocation and expiry take effect on the very next request. The caller becomes a link holder whose subject is the
/// share; what they may read is decided, like for everyone else, by <see cref="Dwellings.DwellingAuthorizer"/>.
/// </summary>
internal sealed class ShareLinkHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    WoningPasDbContext db,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ShareLinks.HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var token = values.ToString();
        if (!ShareLinks.IsWellFormed(token))
        {
            return AuthenticateResult.Fail("The share link is malformed.");
        }

        var hash = ShareLinks.Hash(token);
        var today = time.Today();
        var share = await db.DwellingShares.AsNoTracking()
            .Where(s => s.TokenHash == hash && s.RevokedAt == null && s.ExpiresOn >= today)
            .Select(s => new { s.Id })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (share is null)
        {
            return AuthenticateResult.Fail("The share link is unknown, expired or revoked.");
        }

        var identity = WoningPasClaims.CreateIdentity(ShareLinks.Scheme, share.Id, "Gedeelde link", Roles.LinkHolder, null);
        identity.AddClaim(new System.Security.Claims.Claim(WoningPasClaims.Share, share.Id.ToString("D")));
        return AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), ShareLinks.Scheme));
    }
}
