namespace WoningPas.IdentityProvider;

/// <summary>A registered relying party: the Api's web sign-in at one issuer.</summary>
public sealed record WebClient(string ClientId, string ClientSecret, IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<Uri> PostLogoutRedirectUris);

/// <summary>Other organisations' software, with OAuth2 client credentials and the scopes it was granted.</summary>
public sealed record MachineClient(Guid ClientId, string ClientSecret, string Organisation, IReadOnlyList<string> Scopes);
