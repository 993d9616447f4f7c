using System.Net;
using Microsoft.AspNetCore.Builder;

namespace WoningPas.Edge.Tests;

/// <summary>
/// An origin whose pages are fresh for one second, behind an edge that allows Belgium only: what the edge does once a
/// page is stale, while the origin answers and after it stopped.
/// </summary>
public sealed class StaleEdgeFixture : IAsyncLifetime
{
    public const string Policy = "public, max-age=0, s-maxage=1, stale-while-revalidate=30, stale-if-error=86400";

    private WebApplication? _api;

    public WebApplication? Origin { get; private set; }

    public OriginLog OriginLog { get; } = new();

    public EdgeProcess Edge { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        (Origin, var originUrl) = await Origins.StartStubAsync(OriginLog, Policy);
        (_api, var apiUrl) = await Origins.StartStubAsync(new OriginLog());
        Edge = await EdgeProcess.StartAsync(originUrl, apiUrl, new Dictionary<string, string> { ["EDGE_ALLOWED_COUNTRIES"] = "BE" });
    }

    public async Task StopOriginAsync()
    {
        if (Origin is not null)
        {
            await Origin.StopAsync();
            await Origin.DisposeAsync();
            Origin = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }

        await StopOriginAsync();
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
        }
    }
}

public sealed class StaleEdgeTests(StaleEdgeFixture fixture) : IClassFixture<StaleEdgeFixture>
{
    [Fact]
    public async Task Stale_pages_are_served_while_revalidating_and_when_the_web_is_stopped()
    {
        using var client = new HttpClient { BaseAddress = fixture.Edge.Url };
        var ct = TestContext.Current.CancellationToken;
        var swr = "/nl/pagina?t=" + Guid.NewGuid().ToString("N");
        var sie = "/en/page?t=" + Guid.NewGuid().ToString("N");
        using var swrFirst = await client.GetAsync(new Uri(swr, UriKind.Relative), ct);
        using var sieFirst = await client.GetAsync(new Uri(sie, UriKind.Relative), ct);
        Assert.Equal("MISS", swrFirst.Headers.GetValues("X-Cache-Status").Single());
        Assert.False(swrFirst.Headers.Contains("Set-Cookie"), "the origin's Set-Cookie reached the browser");
        await Task.Delay(TimeSpan.FromSeconds(2.5), ct);

        // stale-while-revalidate: the stale copy at once, and the origin asked again in the background.
        using var swrStale = await client.GetAsync(new Uri(swr, UriKind.Relative), ct);
        Assert.Contains(swrStale.Headers.GetValues("X-Cache-Status").Single(), new[] { "STALE", "UPDATING" });
        Assert.Equal(await swrFirst.Content.ReadAsStringAsync(ct), await swrStale.Content.ReadAsStringAsync(ct));
        for (var i = 0; i < 150 && fixture.OriginLog.For(swr).Count < 2; i++)
        {
            await Task.Delay(100, ct);
        }

        Assert.Equal(2, fixture.OriginLog.For(swr).Count);

        // stale-if-error: the origin is gone, the stale copy is served for up to a day.
        await fixture.StopOriginAsync();
        using var sieStale = await client.GetAsync(new Uri(sie, UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, sieStale.StatusCode);
        Assert.Equal("STALE", sieStale.Headers.GetValues("X-Cache-Status").Single());
        Assert.Equal(await sieFirst.Content.ReadAsStringAsync(ct), await sieStale.Content.ReadAsStringAsync(ct));

        // A page the edge never had cannot be made up.
        using var never = await client.GetAsync(new Uri("/never-cached", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.BadGateway, never.StatusCode);
    }

    [Theory]
    [InlineData("145.0.0.1")]
    [InlineData("2.0.0.1")]
    public async Task The_allow_list_is_configurable(string neighbour)
    {
        using var client = new HttpClient { BaseAddress = fixture.Edge.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/en", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", neighbour);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
