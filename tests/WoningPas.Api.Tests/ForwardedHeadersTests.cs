using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are believed only from the networks in ForwardedHeaders:KnownNetworks: from
/// there the citizen's address reaches the access log and the per-address limit, and the scheme the edge saw is the
/// request's; from anywhere else both headers are ignored, so a client cannot choose its own address.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string EdgeNetwork = "10.244.0.0/16";
    private const string EdgePod = "10.244.3.7";
    private const string Outsider = "192.0.2.10";

    private readonly ConcurrentQueue<(string Peer, string Scheme)> _seen = new();
    private readonly ApiFactory _api;

    public ForwardedHeadersTests() => _api = new ApiFactory
    {
        Settings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownNetworks:0"] = EdgeNetwork,
            ["RateLimits:PerAddressPerMinute"] = "2",
        },
        TestServices = services => services.AddSingleton<IStartupFilter>(new PeerFilter(_seen)),
    };

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task From_the_edge_network_the_citizens_address_and_scheme_are_taken_from_the_headers_and_logged()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");

        using var response = await SendAsync(client, $"/api/dwellings/{DemoData.GentHouseId}/passport", EdgePod, "81.82.0.1", "correlation-trusted");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(("81.82.0.1", "http"), _seen);
        Assert.Equal(["81.82.0.1"], await LoggedAddressesAsync("correlation-trusted"));
    }

    [Fact]
    public async Task From_elsewhere_the_headers_are_ignored_and_the_peer_is_logged()
    {
        using var client = await _api.SignedInClientAsync("citizen-a");

        using var response = await SendAsync(client, $"/api/dwellings/{DemoData.GentHouseId}/passport", Outsider, "81.82.0.1", "correlation-outsider");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((Outsider, "https"), _seen);
        Assert.DoesNotContain(_seen, s => s.Peer == "81.82.0.1");
        Assert.Equal([Outsider], await LoggedAddressesAsync("correlation-outsider"));
    }

    [Fact]
    public async Task Citizens_behind_the_edge_each_have_their_own_address_budget_and_an_outsider_cannot_invent_one()
    {
        using var client = _api.AnonymousClient();
        var behindEdge = new List<HttpStatusCode>();
        var outsider = new List<HttpStatusCode>();

        foreach (var citizen in new[] { "81.82.0.1", "81.82.0.2", "81.82.0.1", "81.82.0.2" })
        {
            using var response = await SendAsync(client, "/healthz/live", EdgePod, citizen, null);
            behindEdge.Add(response.StatusCode);
        }

        foreach (var invented in new[] { "81.82.1.1", "81.82.1.2", "81.82.1.3" })
        {
            using var response = await SendAsync(client, "/healthz/live", Outsider, invented, null);
            outsider.Add(response.StatusCode);
        }

        Assert.All(behindEdge, code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], outsider);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string peer, string forwardedFor, string? correlation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(PeerFilter.Header, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        // The test host is reached over HTTPS; a header saying "http" shows whether it was believed.
        request.Headers.Add("X-Forwarded-Proto", "http");
        if (correlation is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlation);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<List<string?>> LoggedAddressesAsync(string correlation)
    {
        await using var connection = new NpgsqlConnection(_api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT DISTINCT client_address FROM access_log WHERE correlation_id = @c", connection);
        command.Parameters.AddWithValue("c", correlation);
        var addresses = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            addresses.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return addresses;
    }

    /// <summary>
    /// The in-memory server has no TCP peer; this stands in for one (from a test header) ahead of the whole pipeline,
    /// and notes the address and scheme the request ends with, after the forwarded-headers middleware had its say.
    /// </summary>
    private sealed class PeerFilter(ConcurrentQueue<(string, string)> seen) : IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate following) =>
            {
                // Signing in sends no peer: it comes from loopback, as the DevHost's edge does.
                context.Connection.RemoteIpAddress = context.Request.Headers[Header].ToString() is { Length: > 0 } peer
                    ? IPAddress.Parse(peer)
                    : IPAddress.Loopback;
                await following(context);
                seen.Enqueue((context.Connection.RemoteIpAddress.ToString(), context.Request.Scheme));
            });
            next(app);
        };
    }
}
