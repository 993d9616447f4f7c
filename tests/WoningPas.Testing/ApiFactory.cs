using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WoningPas.Api;
using WoningPas.Api.Account;
using WoningPas.DevHost;
using Xunit;

namespace WoningPas.Testing;

/// <summary>
/// The on-premise Api in memory against its own PostgreSQL database, in Development so that the demo personas can
/// sign in. Time is a fake clock set to a fixed day, so that validity rules give the same answers every year.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<ApiProgram>, IAsyncLifetime
{
    private TestDatabase? _database;
    private RegistrySimulators? _simulators;

    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Configuration a test adds or overrides, as "Section:Key" = value.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public static DateTimeOffset Today { get; } = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Today);

    /// <summary>Extra service replacements a test needs, applied after the Api's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Npgsql settings appended to the connection string ("Timeout=60"), for tests that load the pool hard.</summary>
    public string? ConnectionOptions { get; init; }

    /// <summary>The database as its owner: for test set-up and inspection.</summary>
    public string ConnectionString => _database?.ConnectionString
        ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <summary>The database as the application's restricted role, which the Api itself uses.</summary>
    public string AppConnectionString => _database?.AppConnectionString
        ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    /// <summary>Simulator settings to override, as "Simulators:Registries:{name}:{Setting}" = value.</summary>
    public IReadOnlyDictionary<string, string?>? SimulatorSettings { get; init; }

    /// <summary>This factory's own registry simulators, on a loopback port: real HTTP from the Api's clients.</summary>
    public RegistrySimulators Simulators => _simulators
        ?? throw new InvalidOperationException("The simulators are started in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        _simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(), SimulatorSettings, CancellationToken.None);
    }

    /// <summary>The key machine-client tokens are signed with: exists only in tests.</summary>
    public static SymmetricSecurityKey MachineClientSigningKey { get; } = new(RandomNumberGenerator.GetBytes(32));

    public const string MachineClientIssuer = "https://auth.test.woningpas.invalid/";
    public const string MachineClientAudience = "api://woningpas";

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="persona"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string persona)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri($"/account/dev-login?persona={persona}&returnUrl=/woningpas", UriKind.Relative));
        if ((int)response.StatusCode != 302)
        {
            throw new InvalidOperationException($"Signing in as {persona} answered {(int)response.StatusCode}.");
        }

        return client;
    }

    /// <summary>A client that calls as a machine client with a token for <paramref name="scopes"/>.</summary>
    public HttpClient MachineClient(Guid clientId, params string[] scopes)
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            MintMachineToken(clientId, scopes, DateTimeOffset.UtcNow.AddMinutes(10)));
        return client;
    }

    /// <summary>A client-credentials token as the authorisation server would issue it, signed with the test key.</summary>
    public static string MintMachineToken(Guid clientId, IReadOnlyCollection<string> scopes, DateTimeOffset expires,
        string audience = MachineClientAudience)
    {
        // The token handler checks the lifetime against the real clock, not the host's fake one.
        var issued = expires.UtcDateTime.AddMinutes(-15);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = MachineClientIssuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["azp"] = clientId.ToString("D"),
                ["scp"] = string.Join(' ', scopes),
                ["org"] = "notariskantoor-test",
            },
            SigningCredentials = new SigningCredentials(MachineClientSigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// Starts the host expecting it to refuse, and returns the options validation failure it refused with.
    /// WebApplicationFactory's deferred host can lose a race on a failed start: the failed host is disposed before the
    /// factory asks it for its lifetime, and an ObjectDisposedException surfaces instead of the cause. A start that
    /// fails that way is tried again; a host that starts fails the test.
    /// </summary>
    public OptionsValidationException StartFailure()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                CreateClient().Dispose();
                throw new InvalidOperationException("The host started although its settings are invalid.");
            }
            catch (OptionsValidationException failure)
            {
                return failure;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
            }
        }
    }

    public HttpClient AnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:WoningPas",
            string.IsNullOrEmpty(ConnectionOptions) ? AppConnectionString : AppConnectionString + ";" + ConnectionOptions);
        // Tests fire many requests in a burst from one address; the limits get their own tests.
        builder.UseSetting("RateLimits:PerUserPerMinute", "1000000");
        builder.UseSetting("RateLimits:PerAddressPerMinute", "10000000");
        foreach (var (key, value) in Simulators.ApiSettings)
        {
            builder.UseSetting(key, value);
        }
        foreach (var (key, value) in TestKeys.Configuration.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.PostConfigure<JwtBearerOptions>(MachineClients.Scheme, options =>
            {
                options.Authority = null;
                options.Configuration = new OpenIdConnectConfiguration { Issuer = MachineClientIssuer };
                options.TokenValidationParameters.ValidIssuer = MachineClientIssuer;
                options.TokenValidationParameters.IssuerSigningKey = MachineClientSigningKey;
            });
            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_simulators is not null)
        {
            await _simulators.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
