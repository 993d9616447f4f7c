using System.Diagnostics;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.FloodScores;
using WoningPas.Simulators.FloodScores;
using WoningPas.Simulators.Simulation;

namespace WoningPas.Integrations.Tests;

/// <summary>The data cache in front of the clients: one call per key, stale-if-error with the age, errors never cached.</summary>
public sealed class CacheTests
{
    private const string CapaKey = "44021A0123/00B000";

    [Fact]
    public async Task Concurrent_reads_of_one_key_on_a_cold_cache_make_one_registry_call()
    {
        await using var clients = await RegistryClients.StartAsync();
        var flood = clients.Get<FloodScoresClient>();

        var reads = await Task.WhenAll(Enumerable.Range(0, 500)
            .Select(_ => Task.Run(() => flood.ReadAsync(CapaKey, null, TestContext.Current.CancellationToken))));

        Assert.All(reads, r => Assert.Equal(Freshness.Fresh, r.Freshness));
        Assert.All(reads, r => Assert.Equal(FloodScoresRegistry.For(CapaKey).Reference, r.Value!.Reference));
        Assert.Equal(1, (await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, TestContext.Current.CancellationToken)).Calls);
    }

    [Fact]
    public async Task When_the_registry_is_down_the_last_good_answer_is_served_stale_with_its_age()
    {
        await using var clients = await RegistryClients.StartAsync();
        var flood = clients.Get<FloodScoresClient>();
        var cache = clients.Get<RegistryCache>();
        var token = TestContext.Current.CancellationToken;
        var fresh = await flood.ReadAsync(CapaKey, null, token);

        await clients.Simulators.Admin.ChangeAsync(SimulatedRegistries.Flood, new RegistryChange(null, null, null, null, Outage: true), token);
        clients.Time.Advance(TimeSpan.FromMinutes(1));
        // The registry notified a change: the fresh copy goes, the next read must ask the registry, which is down.
        await cache.InvalidateParcelAsync(CapaKey, token);
        clients.Time.Advance(TimeSpan.FromMinutes(4));
        var stale = await flood.ReadAsync(CapaKey, null, token);

        Assert.Equal(Freshness.Fresh, fresh.Freshness);
        Assert.Equal(Freshness.Stale, stale.Freshness);
        Assert.Equal(fresh.Value, stale.Value);
        Assert.Equal(fresh.RetrievedAt, stale.RetrievedAt);
        Assert.Equal(TimeSpan.FromMinutes(5), stale.Age);
        var stats = await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token);
        Assert.True(stats.OutageRejections >= 1, "the stale read must have asked the registry first");
    }

    [Fact]
    public async Task A_failure_is_not_cached_and_the_next_read_after_recovery_is_fresh()
    {
        await using var clients = await RegistryClients.StartAsync(client: new Dictionary<string, string?> { ["Registries:Flood:Retries"] = "0" });
        var flood = clients.Get<FloodScoresClient>();
        var admin = clients.Simulators.Admin;
        var token = TestContext.Current.CancellationToken;
        await admin.ChangeAsync(SimulatedRegistries.Flood, new RegistryChange(null, null, null, null, Outage: true), token);

        var down = await flood.ReadAsync(CapaKey, null, token);
        await admin.ChangeAsync(SimulatedRegistries.Flood, new RegistryChange(null, null, null, null, Outage: false), token);
        var up = await flood.ReadAsync(CapaKey, null, token);

        Assert.Equal(Freshness.Unavailable, down.Freshness);
        Assert.Null(down.Value);
        Assert.Equal(Freshness.Fresh, up.Freshness);
        Assert.Equal(FloodScoresRegistry.For(CapaKey).ParcelScore, up.Value!.ParcelScore);
    }

    [Fact]
    public async Task Invalidating_a_dwelling_makes_its_next_read_ask_the_registry_again()
    {
        await using var clients = await RegistryClients.StartAsync();
        var flood = clients.Get<FloodScoresClient>();
        var cache = clients.Get<RegistryCache>();
        var token = TestContext.Current.CancellationToken;
        var dwelling = Guid.NewGuid();

        await flood.ReadAsync(CapaKey, dwelling, token);
        await flood.ReadAsync(CapaKey, dwelling, token);
        clients.Time.Advance(TimeSpan.FromSeconds(1));
        await cache.InvalidateDwellingAsync(dwelling, token);
        clients.Time.Advance(TimeSpan.FromSeconds(1));
        await flood.ReadAsync(CapaKey, dwelling, token);

        Assert.Equal(2, (await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token)).Calls);
    }

    [Fact]
    public async Task Offered_ten_times_the_capacity_the_registry_counts_no_call_over_capacity()
    {
        // Registry and client both at 20 calls/s; 200 distinct parcels a second are asked for during 4 s.
        await using var clients = await RegistryClients.StartAsync(
            simulator: new Dictionary<string, string?> { ["Simulators:Registries:flood:Capacity"] = "20" },
            client: new Dictionary<string, string?> { ["Registries:Flood:Capacity"] = "20" });
        var flood = clients.Get<FloodScoresClient>();
        var token = TestContext.Current.CancellationToken;
        var reads = new List<Task<RegistryRead<WoningPas.Integrations.FloodScores.FloodScoresAnswer>>>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 800; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 5);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed, token);
            }

            var capaKey = $"{10000 + i:D5}A0001/00_000";
            reads.Add(flood.ReadAsync(capaKey, null, token));
        }

        var results = await Task.WhenAll(reads);
        var stats = await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token);

        Assert.Equal(0, stats.OverCapacity);
        Assert.All(results, r => Assert.NotEqual(Freshness.Stale, r.Freshness));
        // About 20/s over the ~6 s the load and its queue last; the rest was refused at once, never sent.
        var fresh = results.Count(r => r.Freshness == Freshness.Fresh);
        Assert.InRange(fresh, 60, 160);
        Assert.Equal(fresh, stats.Served);
    }
}
