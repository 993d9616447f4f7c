using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace WoningPas.IdentityProvider;

/// <summary>What the stand-in serves: its users, the Api's public origins (for the redirect URIs) and machine clients.</summary>
public sealed record StandInOptions(IReadOnlyList<StandInUser> Users, IReadOnlyList<Uri> ApiOrigins)
{
    public IReadOnlyList<MachineClient> MachineClients { get; init; } = [];

    /// <summary>See <see cref="IssuerSettings.SignInByLoginHint"/>.</summary>
    public bool SignInByLoginHint { get; init; }
}

/// <summary>
/// Both issuers on loopback ports (citizens and staff), with client secrets and a password generated at start, and the
/// configuration the Api needs to trust them: nothing in the repository is ever accepted as a credential.
/// </summary>
public sealed class StandInIdentityProvider : IAsyncDisposable
{
    public const string CitizenCallbackPath = "/account/signin-citizen";
    public const string StaffCallbackPath = "/account/signin-staff";
    public const string CitizenSignedOutPath = "/account/signed-out-citizen";
    public const string StaffSignedOutPath = "/account/signed-out-staff";

    private readonly List<WebApplication> _hosts = [];

    private StandInIdentityProvider(StandInOptions options)
    {
        Options = options;
    }

    public StandInOptions Options { get; }

    public IssuerProfile Citizen { get; private set; } = null!;

    public IssuerProfile Staff { get; private set; } = null!;

    /// <summary>Every user's password on the form (one per start).</summary>
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    /// <summary>The Api's settings: "CitizenIdentity:…", "AzureAd:…" and "MachineClients:…".</summary>
    public IReadOnlyDictionary<string, string?> ApiSettings { get; private set; } = new Dictionary<string, string?>();

    public SigningKeys KeysOf(IssuerKind kind) =>
        _hosts[(int)kind].Services.GetRequiredService<SigningKeys>();

    public StandInUser? User(string userName) => Options.Users.FirstOrDefault(u => u.UserName == userName);

    public static async Task<StandInIdentityProvider> StartAsync(StandInOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 1; ; attempt++)
        {
            var provider = new StandInIdentityProvider(options);
            try
            {
                await provider.StartIssuersAsync(cancellationToken);
                return provider;
            }
            catch (IOException) when (attempt < 3)
            {
                // A port chosen free was taken by someone else before Kestrel bound it: choose again.
                await provider.DisposeAsync();
            }
            catch
            {
                await provider.DisposeAsync();
                throw;
            }
        }
    }

    private async Task StartIssuersAsync(CancellationToken cancellationToken)
    {
        var tenant = Guid.NewGuid().ToString("D");
        Citizen = new IssuerProfile(IssuerKind.Citizen, FreeLoopbackOrigin(), tenant);
        Staff = new IssuerProfile(IssuerKind.Staff, FreeLoopbackOrigin(), tenant);
        var citizenClient = new WebClient("woningpas-" + Guid.NewGuid().ToString("N")[..8], Secret(),
            [.. Options.ApiOrigins.Select(o => new Uri(o, CitizenCallbackPath))], [.. Options.ApiOrigins.Select(o => new Uri(o, CitizenSignedOutPath))]);
        var staffClient = new WebClient(Guid.NewGuid().ToString("D"), Secret(),
            [.. Options.ApiOrigins.Select(o => new Uri(o, StaffCallbackPath))], [.. Options.ApiOrigins.Select(o => new Uri(o, StaffSignedOutPath))]);
        await StartAsync(new IssuerSettings(Citizen, [.. Options.Users.Where(u => u.Issuer == IssuerKind.Citizen)],
            Password, citizenClient, Options.MachineClients) { SignInByLoginHint = Options.SignInByLoginHint }, cancellationToken);
        await StartAsync(new IssuerSettings(Staff, [.. Options.Users.Where(u => u.Issuer == IssuerKind.Staff)],
            Password, staffClient, []) { SignInByLoginHint = Options.SignInByLoginHint }, cancellationToken);

        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["CitizenIdentity:Authority"] = Citizen.Issuer.ToString(),
            ["CitizenIdentity:ClientId"] = citizenClient.ClientId,
            ["CitizenIdentity:ClientSecret"] = citizenClient.ClientSecret,
            ["AzureAd:Instance"] = Staff.Origin.ToString(),
            ["AzureAd:TenantId"] = tenant,
            ["AzureAd:ClientId"] = staffClient.ClientId,
            ["AzureAd:ClientSecret"] = staffClient.ClientSecret,
            ["AzureAd:CallbackPath"] = StaffCallbackPath,
            ["MachineClients:Authority"] = Citizen.Issuer.ToString(),
            ["MachineClients:Audience"] = ProtocolEndpoints.MachineAudience,
        };
        foreach (var client in Options.MachineClients)
        {
            settings[$"MachineClients:Allowed:{client.ClientId:D}"] = client.Organisation;
        }

        ApiSettings = settings;
    }

    private async Task StartAsync(IssuerSettings settings, CancellationToken cancellationToken)
    {
        var app = IdentityProviderApp.Build(settings);
        _hosts.Add(app);
        await IdentityProviderApp.RegisterClientsAsync(app, cancellationToken);
        await app.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        _hosts.Clear();
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The issuer must be known before the host starts (it is in every token), so the port is chosen first. The
    /// host name is "localhost", so that a browser reaches it exactly as the local run's address is reached.
    /// </summary>
    public static Uri FreeLoopbackOrigin(string host = "localhost")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/"));
    }
}
