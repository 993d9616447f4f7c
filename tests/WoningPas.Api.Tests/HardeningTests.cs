using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class HardeningTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Dictionary<string, string?> Production = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "11111111-1111-1111-1111-111111111111",
        ["AzureAd:ClientId"] = "22222222-2222-2222-2222-222222222222",
        ["AzureAd:CallbackPath"] = "/account/signin-oidc",
    };

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/api/dwellings")]
    [InlineData("/account/login")]
    public async Task Every_answer_carries_the_security_headers_and_hsts_as_deployed(string path)
    {
        using var client = api.AnonymousClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal(ApiSecurityHeaders.StrictTransportSecurity, Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Outside_development_hsts_is_sent_and_the_session_cookie_is_host_prefixed_secure_and_strict()
    {
        await using var production = new ApiFactory { EnvironmentName = "Production", Settings = Production };
        await production.InitializeAsync();
        using var client = production.AnonymousClient();

        var response = await client.GetAsync(new Uri("/healthz/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var cookie = production.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie;

        Assert.Equal(ApiSecurityHeaders.StrictTransportSecurity, Header(response, "Strict-Transport-Security"));
        Assert.Equal("__Host-woningpas-session", cookie.Name);
        Assert.Equal(Microsoft.AspNetCore.Http.CookieSecurePolicy.Always, cookie.SecurePolicy);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.AspNetCore.Http.SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.Null(cookie.Domain);
    }

    [Fact]
    public async Task Outside_development_a_server_error_is_a_problem_without_exception_details()
    {
        // The host starts (it reads its Data Protection keys from the database), then loses its rights on the tables:
        // the read fails deep inside Npgsql.
        await using var production = new ApiFactory { EnvironmentName = "Production", Settings = Production };
        await production.InitializeAsync();
        using var client = production.MachineClient(ApiFactory.NotaryClientId, "epc.read");
        await using (var owner = new Npgsql.NpgsqlConnection(production.ConnectionString))
        {
            await owner.OpenAsync(TestContext.Current.CancellationToken);
            await using var revoke = new Npgsql.NpgsqlCommand(
                $"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {WoningPas.Data.DatabaseRoles.App}", owner);
            await revoke.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(ProblemTypes.Unexpected, problem.GetProperty("type").GetString());
        Assert.True(problem.TryGetProperty("correlationId", out _));
        foreach (var detail in new[] { "Npgsql", "Exception", "   at ", "Port=1", ".cs:line" })
        {
            Assert.DoesNotContain(detail, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bearer_call_needs_no_anti_forgery_header_but_is_still_authorised()
    {
        using var client = api.MachineClient(ApiFactory.NotaryClientId, "epc.read");
        using var content = new StringContent("""{"sections":["epc"],"link":true,"expiresOn":"2027-01-01"}""",
            System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/shares", UriKind.Relative),
            content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.Forbidden, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_machine_client_gets_its_token_from_the_provider_and_reads_its_scope()
    {
        using var provider = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ApiFactory.NotaryClientId.ToString("D"),
            ["client_secret"] = ApiFactory.MachineClientSecret,
            ["scope"] = "epc.read",
        });
        var issued = await provider.PostAsync(api.Identity.Citizen.TokenEndpoint, form, TestContext.Current.CancellationToken);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken))
            .GetProperty("access_token").GetString();
        using var client = api.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var epc = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var asbestos = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/asbestos", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, epc.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asbestos.StatusCode);
    }

    [Theory]
    [InlineData("wrong audience")]
    [InlineData("expired")]
    [InlineData("forged")]
    [InlineData("wrong issuer")]
    [InlineData("unknown key")]
    [InlineData("alg none")]
    [InlineData("unsigned")]
    [InlineData("client not allow-listed")]
    [InlineData("another organisation")]
    public async Task A_machine_token_that_does_not_validate_is_a_401(string flaw)
    {
        var valid = api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5));
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        var token = flaw switch
        {
            "wrong issuer" => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5),
                issuer: "https://login.example/op"),
            "unknown key" => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5),
                signingCredentials: new Microsoft.IdentityModel.Tokens.SigningCredentials(
                    new Microsoft.IdentityModel.Tokens.RsaSecurityKey(stranger) { KeyId = "stranger" }, "RS256")),
            // The provider's own claims under a header that asks for no signature at all.
            "alg none" => Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + valid.Split('.')[1] + ".",
            "unsigned" => string.Join('.', valid.Split('.')[..2]) + ".",
            "client not allow-listed" => api.MintMachineToken(Guid.NewGuid(), ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5)),
            "another organisation" => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5),
                organisation: "vastgoedmakelaar-x"),
            "wrong audience" => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5),
                audience: "api://someone-else"),
            "expired" => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(-10)),
            _ => api.MintMachineToken(ApiFactory.NotaryClientId, ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5))[..^4] + "AAAA",
        };
        using var client = api.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("EPC-2019", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    private static string Base64Url(string json) =>
        Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Text.Encoding.UTF8.GetBytes(json));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : throw new Xunit.Sdk.XunitException($"No {name} header.");
}

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_user_over_their_limit_gets_429_problem_details_with_retry_after()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string?> { ["RateLimits:PerUserPerMinute"] = "3" } };
        await api.InitializeAsync();
        using var client = await api.SignedInClientAsync("citizen-a");
        using var other = await api.SignedInClientAsync("citizen-b");

        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);
            codes.Add(last.StatusCode);
        }

        var someoneElse = await other.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        var problem = await last.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.RateLimited, problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
        last.Dispose();
    }

    [Fact]
    public async Task A_user_refused_in_one_minute_is_allowed_again_in_the_next()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string?> { ["RateLimits:PerUserPerMinute"] = "2" } };
        await api.InitializeAsync();
        using var client = await api.SignedInClientAsync("citizen-a");
        var dwellings = new Uri("/api/dwellings", UriKind.Relative);

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(dwellings, TestContext.Current.CancellationToken);
            codes.Add(response.StatusCode);
        }

        api.Time.Advance(TimeSpan.FromMinutes(1));
        using var nextMinute = await client.GetAsync(dwellings, TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
    }

    [Fact]
    public async Task An_address_over_its_limit_gets_429_even_without_signing_in()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string?> { ["RateLimits:PerAddressPerMinute"] = "5" } };
        await api.InitializeAsync();
        using var client = api.AnonymousClient();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync(new Uri("/healthz/live", UriKind.Relative), TestContext.Current.CancellationToken);
            codes.Add(response.StatusCode);
        }

        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
    }

    [Theory]
    [InlineData("10.244.3.7/16")]
    [InlineData("edge.example")]
    [InlineData("10.244.0.0")]
    public async Task A_known_network_that_is_not_a_cidr_range_stops_the_host_and_is_named(string entry)
    {
        await using var api = new ApiFactory
        {
            Settings = new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = "10.244.0.0/16", ["ForwardedHeaders:KnownNetworks:1"] = entry },
        };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains($"ForwardedHeaders:KnownNetworks:1 '{entry}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_limit_out_of_range_stops_the_host_from_starting_and_names_the_setting()
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string?> { ["RateLimits:PerUserPerMinute"] = "0" } };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains("RateLimits:PerUserPerMinute", failure.Message, StringComparison.Ordinal);
    }
}
