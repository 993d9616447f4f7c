namespace WoningPas.IdentityProvider;

/// <summary>
/// Where one issuer's endpoints live, shaped like the real provider's so that the Api is configured as it will be in
/// production:
/// <list type="bullet">
/// <item>citizens: the Flemish government's ACM/IDM OpenID Connect provider (issuer <c>https://authenticatie.vlaanderen.be/op</c>,
/// endpoints under <c>/op/v1/</c>, discovery at <c>/op/.well-known/openid-configuration</c>);</item>
/// <item>staff: a Microsoft Entra ID tenant's v2.0 endpoints (issuer <c>https://login.microsoftonline.com/{tenant}/v2.0</c>,
/// which Microsoft.Identity.Web derives from Instance + TenantId).</item>
/// </list>
/// </summary>
public sealed record IssuerProfile(IssuerKind Kind, Uri Origin, string TenantId)
{
    /// <summary>The issuer identifier, exactly as it appears in tokens and in discovery (no trailing slash).</summary>
    public Uri Issuer => Kind == IssuerKind.Citizen ? At("op") : At($"{TenantId}/v2.0");

    public Uri ConfigurationEndpoint => At($"{Issuer.AbsolutePath.TrimStart('/')}/.well-known/openid-configuration");

    public Uri AuthorizationEndpoint => Kind == IssuerKind.Citizen ? At("op/v1/auth") : At($"{TenantId}/oauth2/v2.0/authorize");

    public Uri TokenEndpoint => Kind == IssuerKind.Citizen ? At("op/v1/token") : At($"{TenantId}/oauth2/v2.0/token");

    public Uri KeysEndpoint => Kind == IssuerKind.Citizen ? At("op/v1/keys") : At($"{TenantId}/discovery/v2.0/keys");

    public Uri EndSessionEndpoint => Kind == IssuerKind.Citizen ? At("op/v1/logout") : At($"{TenantId}/oauth2/v2.0/logout");

    /// <summary>The stand-in's own sign-in form (the real providers have theirs).</summary>
    public Uri LoginPage => At(Kind == IssuerKind.Citizen ? "op/login" : $"{TenantId}/login");

    /// <summary>The scopes a relying party may ask for at this issuer.</summary>
    public IReadOnlyList<string> Scopes => Kind == IssuerKind.Citizen
        ? ["openid", "profile", "email", "rrn", "offline_access", .. MachineScopes]
        : ["openid", "profile", "email", "offline_access"];

    /// <summary>What machine clients may be granted: one read scope per passport section.</summary>
    public static IReadOnlyList<string> MachineScopes { get; } =
    [
        "epc.read", "renovation.read", "asbestos.read", "soil.read", "flood.read", "permits.read", "conformity.read",
        "installations.read", "documents.read",
    ];

    private Uri At(string path) => new(Origin, path);
}
