using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>Outside Development there is no demo sign-in, and the OpenID Connect registration is mandatory.</summary>
public sealed class ProductionSignInTests
{
    private static readonly Dictionary<string, string?> CompleteAzureAd = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "11111111-1111-1111-1111-111111111111",
        ["AzureAd:ClientId"] = "22222222-2222-2222-2222-222222222222",
        ["AzureAd:CallbackPath"] = "/account/signin-oidc",
    };

    [Fact]
    public async Task Production_without_a_client_id_refuses_to_start_and_names_the_setting()
    {
        var incomplete = new Dictionary<string, string?>(CompleteAzureAd) { ["AzureAd:ClientId"] = null };
        await using var api = new ApiFactory { EnvironmentName = "Production", Settings = incomplete };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains("AzureAd:ClientId", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_has_no_dev_login_and_sends_sign_in_to_the_identity_provider()
    {
        // The identity provider's metadata would be fetched over the network; give the handler a fixed copy instead.
        var metadata = new OpenIdConnectConfiguration
        {
            Issuer = "https://idp.example/",
            AuthorizationEndpoint = "https://idp.example/authorize",
        };
        await using var api = new ApiFactory
        {
            EnvironmentName = "Production",
            Settings = CompleteAzureAd,
            TestServices = services => services.PostConfigure<OpenIdConnectOptions>(
                OpenIdConnectDefaults.AuthenticationScheme, options =>
                {
                    options.Configuration = metadata;
                    options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
                }),
        };
        await api.InitializeAsync();
        using var client = api.AnonymousClient();

        var devLogin = await client.GetAsync(new Uri("/account/dev-login?persona=citizen-a", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var login = await client.GetAsync(new Uri("/account/login?returnUrl=/woningpas", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, devLogin.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("https://idp.example/authorize?", login.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Contains("client_id=22222222-2222-2222-2222-222222222222", login.Headers.Location?.Query,
            StringComparison.Ordinal);
    }
}
