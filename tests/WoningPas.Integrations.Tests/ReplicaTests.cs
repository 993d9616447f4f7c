using System.Diagnostics;
using WoningPas.DevHost;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.FloodScores;
using WoningPas.Simulators.Simulation;

namespace WoningPas.Integrations.Tests;

/// <summary>Two Api replicas' registry clients sharing a real redis-server: second-level cache, invalidation, capacity.</summary>
public sealed class ReplicaTests
{
    private const string CapaKey = "44021A0123/00B000";

    [Fact]
    public async Task A_change_invalidated_on_one_replica_is_seen_on_the_other_within_a_second()
    {
        var token = TestContext.Current.CancellationToken;
        await using var redis = await LocalRedis.StartAsync(Path.Combine(Path.GetTempPath(), "woningpas-redis-" + Guid.NewGuid().ToString("N")[..8]), token);
        await using var simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(), null, token);
        await using var first = await RegistryClients.StartReplicaAsync(simulators, redis.Configuration, replicas: 2);
        await using var second = await RegistryClients.StartReplicaAsync(simulators, redis.Configuration, replicas: 2);

        var onFirst = await first.Get<FloodScoresClient>().ReadAsync(CapaKey, null, token);
        var onSecond = await second.Get<FloodScoresClient>().ReadAsync(CapaKey, null, token);
        // The second replica found the first one's answer in Redis: still one registry call.
        Assert.Equal(onFirst.RetrievedAt, onSecond.RetrievedAt);
        Assert.Equal(1, (await simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token)).Calls);

        first.Time.Advance(TimeSpan.FromSeconds(1));
        second.Time.Advance(TimeSpan.FromSeconds(1));
        await first.Get<RegistryCache>().InvalidateParcelAsync(CapaKey, token);
        var watch = Stopwatch.StartNew();
        RegistryRead<FloodScoresAnswer> seen;
        do
        {
            seen = await second.Get<FloodScoresClient>().ReadAsync(CapaKey, null, token);
            if (seen.RetrievedAt != onSecond.RetrievedAt)
            {
                break;
            }

            await Task.Delay(20, token);
        }
        while (watch.Elapsed < TimeSpan.FromSeconds(1));

        Assert.NotEqual(onSecond.RetrievedAt, seen.RetrievedAt);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"seen after {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(2, (await simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token)).Calls);
    }

    [Fact]
    public async Task Two_replicas_under_full_load_stay_within_the_registrys_capacity_together()
    {
        var token = TestContext.Current.CancellationToken;
        await using var redis = await LocalRedis.StartAsync(Path.Combine(Path.GetTempPath(), "woningpas-redis-" + Guid.NewGuid().ToString("N")[..8]), token);
        await using var simulators = await RegistrySimulators.StartAsync(RepositoryRoot.Find(),
            new Dictionary<string, string?> { ["Simulators:Registries:flood:Capacity"] = "20" }, token);
        var client = new Dictionary<string, string?> { ["Registries:Flood:Capacity"] = "20" };
        await using var first = await RegistryClients.StartReplicaAsync(simulators, redis.Configuration, replicas: 2, client);
        await using var second = await RegistryClients.StartReplicaAsync(simulators, redis.Configuration, replicas: 2, client);

        // Each replica is offered 100 distinct parcels a second for 3 s: 10 times the capacity together.
        var reads = await Task.WhenAll(new[] { first, second }.Select((replica, r) => Task.Run(async () =>
        {
            var flood = replica.Get<FloodScoresClient>();
            var pending = new List<Task<RegistryRead<FloodScoresAnswer>>>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 300; i++)
            {
                var due = TimeSpan.FromMilliseconds(i * 10);
                if (due > watch.Elapsed)
                {
                    await Task.Delay(due - watch.Elapsed, token);
                }

                pending.Add(flood.ReadAsync($"{20000 + (r * 1000) + i:D5}B0001/00_000", null, token));
            }

            return await Task.WhenAll(pending);
        }, token)));

        var stats = await simulators.Admin.StatsAsync(SimulatedRegistries.Flood, token);
        Assert.Equal(0, stats.OverCapacity);
        Assert.True(stats.Served > 20, $"only {stats.Served} calls served");
        Assert.All(reads.SelectMany(r => r), r => Assert.NotEqual(Freshness.Stale, r.Freshness));
    }
}
