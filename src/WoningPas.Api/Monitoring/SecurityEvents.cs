namespace WoningPas.Api.Monitoring;

/// <summary>
/// Security events, each with an event id that never changes, so that monitoring can alert on an id rather than on
/// message text. All are logged under the category <see cref="Category"/> at Warning, as structured Serilog events
/// (EventId.Id, EventId.Name and the named properties). Never put an INSZ, a token or a document in one: subject
/// ids, paths and reasons only. The numbers are part of the operations contract (docs/operations.md).
/// </summary>
public static class SecurityEvents
{
    public const string Category = "WoningPas.Security";

    /// <summary>A sign-in did not complete: the identity provider failed, the token was refused, an unknown persona.</summary>
    public static readonly EventId SignInFailed = new(4001, nameof(SignInFailed));

    /// <summary>A signed-in user asked for something their role or rights do not allow (403).</summary>
    public static readonly EventId AuthorisationRefused = new(4002, nameof(AuthorisationRefused));

    /// <summary>A state-changing call without the anti-forgery header: a cross-site request, or a broken client.</summary>
    public static readonly EventId CsrfRejected = new(4003, nameof(CsrfRejected));

    /// <summary>A request refused by a rate limiter (429).</summary>
    public static readonly EventId RateLimited = new(4004, nameof(RateLimited));

    /// <summary>An upload refused: malware found, type or size not allowed, scanner unavailable.</summary>
    public static readonly EventId UploadRefused = new(4005, nameof(UploadRefused));

    /// <summary>A request without a valid session for a resource that needs one (401) — many in a row is probing.</summary>
    public static readonly EventId SignInRequired = new(4006, nameof(SignInRequired));

    public static void LogSignInFailed(this ILogger logger, string reason) =>
        logger.LogWarning(SignInFailed, "Security: sign-in failed ({Reason})", reason);

    public static void LogAuthorisationRefused(this ILogger logger, string? subject, string path) =>
        logger.LogWarning(AuthorisationRefused, "Security: authorisation refused for {Subject} on {Path}", subject ?? "anonymous", path);

    public static void LogCsrfRejected(this ILogger logger, string method, string path) =>
        logger.LogWarning(CsrfRejected, "Security: {Method} {Path} without the anti-forgery header", method, path);

    public static void LogRateLimited(this ILogger logger, string policy, string path) =>
        logger.LogWarning(RateLimited, "Security: rate limit {Policy} refused {Path}", policy, path);

    public static void LogUploadRefused(this ILogger logger, string? subject, string reason) =>
        logger.LogWarning(UploadRefused, "Security: upload by {Subject} refused ({Reason})", subject ?? "anonymous", reason);

    public static void LogSignInRequired(this ILogger logger, string path) =>
        logger.LogInformation(SignInRequired, "Security: {Path} needs a session", path);

    /// <summary>The logger security events are written to, from any request.</summary>
    public static ILogger For(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
}
