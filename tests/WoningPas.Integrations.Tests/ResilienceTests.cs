using System.Diagnostics;
using Polly.CircuitBreaker;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.FloodScores;
using WoningPas.Simulators.FloodScores;
using WoningPas.Simulators.Simulation;

namespace WoningPas.Integrations.Tests;

/// <summary>The registry pipeline against a misbehaving registry: Retry-After, circuit breaker, fail-fast limiter.</summary>
public sealed class ResilienceTests
{
    private const string CapaKey = "44021A0123/00B000";

    [Fact]
    public async Task A_429_is_retried_after_the_registrys_Retry_After_and_then_succeeds()
    {
        // The registry allows 1 call/s; the client believes 100/s, so only the registry's 429 can slow it down.
        await using var clients = await RegistryClients.StartAsync(
            simulator: new Dictionary<string, string?> { ["Simulators:Registries:flood:Capacity"] = "1", ["Simulators:Registries:flood:JitterMs"] = "0" },
            client: new Dictionary<string, string?> { ["Registries:Flood:Capacity"] = "100", ["Registries:Flood:Retries"] = "1" });
        var flood = clients.Get<FloodScoresClient>();
        await flood.GetAsync(CapaKey, TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        var answer = await flood.GetAsync(CapaKey, TestContext.Current.CancellationToken);
        watch.Stop();

        Assert.Equal(FloodScoresRegistry.For(CapaKey).Reference, answer.Reference);
        var stats = await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, TestContext.Current.CancellationToken);
        Assert.Equal(1, stats.OverCapacity);
        Assert.Equal(2, stats.Served);
        // Retry-After: 1 — the retry waited for it rather than for the 200 ms back-off.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_Retry_After_beyond_what_the_caller_may_wait_fails_at_once()
    {
        // 0.1 call/s: the registry asks to come back in 10 s, more than MaxRetryAfter (3 s).
        await using var clients = await RegistryClients.StartAsync(
            simulator: new Dictionary<string, string?> { ["Simulators:Registries:flood:Capacity"] = "0.1" },
            client: new Dictionary<string, string?> { ["Registries:Flood:Capacity"] = "100" });
        var flood = clients.Get<FloodScoresClient>();
        await flood.GetAsync(CapaKey, TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(() => flood.GetAsync(CapaKey, TestContext.Current.CancellationToken));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"failed after {watch.Elapsed.TotalMilliseconds:F0} ms");
        var stats = await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, TestContext.Current.CancellationToken);
        Assert.Equal(1, stats.OverCapacity);
    }

    [Fact]
    public async Task The_breaker_opens_on_failures_stops_calling_the_registry_and_closes_when_it_recovers()
    {
        await using var clients = await RegistryClients.StartAsync(client: new Dictionary<string, string?>
        {
            ["Registries:Flood:Retries"] = "0",
            ["Registries:Flood:BreakerMinimumThroughput"] = "4",
            ["Registries:Flood:BreakerFailureRatio"] = "0.5",
            ["Registries:Flood:BreakerBreakDuration"] = "00:00:01",
        });
        var flood = clients.Get<FloodScoresClient>();
        var admin = clients.Simulators.Admin;
        var token = TestContext.Current.CancellationToken;
        await admin.ChangeAsync(SimulatedRegistries.Flood, new RegistryChange(null, null, null, null, Outage: true), token);

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => flood.GetAsync(CapaKey, token));
        }

        // Open: the call fails without reaching the registry.
        await Assert.ThrowsAsync<BrokenCircuitException>(() => flood.GetAsync(CapaKey, token));
        Assert.Equal(4, (await admin.StatsAsync(SimulatedRegistries.Flood, token)).Calls);

        await admin.ChangeAsync(SimulatedRegistries.Flood, new RegistryChange(null, null, null, null, Outage: false), token);
        await Task.Delay(TimeSpan.FromMilliseconds(1200), token);

        // Half-open lets one call through; its success closes the breaker and the calls after it flow again.
        await flood.GetAsync(CapaKey, token);
        await flood.GetAsync(CapaKey, token);
        var stats = await admin.StatsAsync(SimulatedRegistries.Flood, token);
        Assert.Equal(6, stats.Calls);
        Assert.Equal(2, stats.Served);
    }

    [Fact]
    public async Task The_limiter_refuses_at_once_what_it_could_not_send_within_the_queue_wait()
    {
        await using var clients = await RegistryClients.StartAsync(client: new Dictionary<string, string?>
        {
            ["Registries:Flood:Capacity"] = "2",
            ["Registries:Flood:MaxQueueWait"] = "00:00:00",
        });
        var flood = clients.Get<FloodScoresClient>();

        // Capacity 2/s → a bucket of one call and no queue: of ten parcels at once, one goes out, the rest fail fast.
        var watch = Stopwatch.StartNew();
        var reads = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => flood.ReadAsync($"44021A{i:D4}/00B000", null, TestContext.Current.CancellationToken)));

        Assert.Equal(1, reads.Count(r => r.Freshness == Freshness.Fresh));
        Assert.Equal(9, reads.Count(r => r.Freshness == Freshness.Unavailable));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(1, (await clients.Simulators.Admin.StatsAsync(SimulatedRegistries.Flood, TestContext.Current.CancellationToken)).Calls);
    }

    [Fact]
    public async Task Calls_in_flight_are_capped_at_the_bucket_so_a_stall_cannot_release_a_larger_burst()
    {
        // Capacity 20/s for two replicas → 9/s here, a bucket of 4: four calls go out, a fifth waits for one of them
        // to finish even when the bucket has long refilled.
        using var limiter = Resilience.RegistryRateLimiters.Create(
            new Registries.RegistryOptions { Capacity = 20, MaxQueueWait = TimeSpan.FromSeconds(5) }, replicas: 2);
        var token = TestContext.Current.CancellationToken;
        var inFlight = new List<System.Threading.RateLimiting.RateLimitLease>();
        for (var i = 0; i < 4; i++)
        {
            inFlight.Add(await limiter.Chained.AcquireAsync(1, token));
            Assert.True(inFlight[^1].IsAcquired);
        }

        var fifth = limiter.Chained.AcquireAsync(1, token).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(600), token);
        Assert.False(fifth.IsCompleted, "a fifth call went out while four were still in flight");

        inFlight[0].Dispose();
        using var granted = await fifth.WaitAsync(TimeSpan.FromSeconds(10), token);
        Assert.True(granted.IsAcquired);
        foreach (var lease in inFlight.Skip(1))
        {
            lease.Dispose();
        }
    }
}
