using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WoningPas.Data.Demo;
using WoningPas.Integrations.Caching;
using WoningPas.Simulators.Simulation;
using WoningPas.Testing;

namespace WoningPas.Integrations.Tests;

/// <summary>
/// The passport's registry sections through the whole Api (real PostgreSQL, access log, simulators over HTTP): one
/// registry call per key however many readers, and a registry outage that never fails the passport.
/// </summary>
public sealed class PassportRegistryTests
{
    private static Uri PassportOf(Guid dwellingId) => new($"/api/dwellings/{dwellingId}/passport", UriKind.Relative);

    [Fact]
    public async Task A_thousand_concurrent_reads_of_one_passport_on_a_cold_cache_make_one_call_per_registry()
    {
        // A thousand readers queue for a hundred pooled connections (each access-log append is serialised): on a busy
        // machine the wait outlasts the default 15 s, which would measure the machine, not the cache.
        await using var api = new ApiFactory
        {
            ConnectionOptions = "Timeout=120;Command Timeout=120",
            Settings = RegistryClients.PatientTimeouts,
        };
        await api.InitializeAsync();
        using var client = await api.SignedInClientAsync("citizen-a");
        var token = TestContext.Current.CancellationToken;

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(() => client.GetAsync(PassportOf(DemoData.GentHouseId), token), token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var body = await responses[^1].Content.ReadFromJsonAsync<JsonElement>(token);
        Assert.Equal("fresh", body.GetProperty("sections").GetProperty("flood").GetProperty("freshness").GetProperty("state").GetString());
        var stats = await api.Simulators.Admin.StatsAsync(token);
        // The Gent house stands on one parcel: one key at each registry.
        Assert.Equal(1, stats[SimulatedRegistries.Flood].Calls);
        Assert.Equal(1, stats[SimulatedRegistries.Permits].Calls);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_registry_that_is_down_with_nothing_cached_leaves_its_section_unavailable_and_the_rest_loads()
    {
        await using var api = new ApiFactory
        {
            SimulatorSettings = new Dictionary<string, string?> { ["Simulators:Registries:flood:Outage"] = "true" },
        };
        await api.InitializeAsync();
        using var client = await api.SignedInClientAsync("citizen-a");
        var token = TestContext.Current.CancellationToken;

        var response = await client.GetAsync(PassportOf(DemoData.GentHouseId), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sections = (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("sections");
        Assert.Equal("unavailable", sections.GetProperty("flood").GetProperty("status").GetString());
        Assert.Equal("unavailable", sections.GetProperty("flood").GetProperty("freshness").GetProperty("state").GetString());
        Assert.Equal(0, sections.GetProperty("flood").GetProperty("scores").GetArrayLength());
        Assert.Equal("fresh", sections.GetProperty("permits").GetProperty("freshness").GetProperty("state").GetString());
        Assert.Equal("E", sections.GetProperty("epc").GetProperty("label").GetString());
    }

    [Fact]
    public async Task A_registry_that_goes_down_after_a_read_serves_the_section_stale_with_its_age()
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        using var client = await api.SignedInClientAsync("citizen-a");
        var token = TestContext.Current.CancellationToken;
        var before = await client.GetFromJsonAsync<JsonElement>(PassportOf(DemoData.GentHouseId), token);

        await api.Simulators.Admin.ChangeAsync(SimulatedRegistries.Permits, new RegistryChange(null, null, null, null, Outage: true), token);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        await api.Services.GetRequiredService<RegistryCache>().InvalidateDwellingAsync(DemoData.GentHouseId, token);
        api.Time.Advance(TimeSpan.FromMinutes(9));
        var response = await client.GetAsync(PassportOf(DemoData.GentHouseId), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var permits = (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("sections").GetProperty("permits");
        var freshness = permits.GetProperty("freshness");
        Assert.Equal("stale", freshness.GetProperty("state").GetString());
        Assert.Equal(600, freshness.GetProperty("ageSeconds").GetInt64());
        Assert.Equal(before.GetProperty("sections").GetProperty("permits").GetProperty("permits").GetRawText(),
            permits.GetProperty("permits").GetRawText());
    }
}
