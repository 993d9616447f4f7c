using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using WoningPas.Api;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.DevHost;
using WoningPas.LocalPostgres;
using WoningPas.Simulators.Simulation;

namespace WoningPas.Bench;

/// <summary>
/// The registry cache under a passport load: (1) upstream amplification with 90 % repeat visits — registry calls ÷
/// distinct (parcel, registry) keys asked for; (2) cached passport reads (authorised, access-logged) against a bare
/// Kestrel JSON endpoint on the same machine, same client and clients, same run, in alternating rounds; (3) calls the simulators counted over capacity
/// during the whole run.
/// </summary>
internal static class CacheBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dwellings = BenchArguments.Option(args, "--dwellings", 5_000);
        var seconds = BenchArguments.Option(args, "--seconds", 15);
        var clients = BenchArguments.Option(args, "--clients", 16);
        var rounds = BenchArguments.Option(args, "--rounds", 3);
        var warmUpSeconds = BenchArguments.Option(args, "--warm-up", PassportLoad.DefaultWarmUpSeconds);
        var root = Repository.Root();
        await using var database = await BenchDatabase.CreateAsync(Path.Combine(root, ".data", "bench-cache-pg"), ";Maximum Pool Size=64");
        var (cluster, connectionString, ring) = (database.Cluster, database.ConnectionString, database.Ring);
        await new Seeder(connectionString, ring, Console.Error).SeedAsync(dwellings, 1, CancellationToken.None);
        var visits = await DwellingsAsync(connectionString);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {visits.Count:N0} dwellings with a holder"));

        // Capacities a real registry would publish for a national service; the limiter and the simulators use the same.
        await using var simulators = await RegistrySimulators.StartAsync(root, new Dictionary<string, string?>
        {
            ["Simulators:Registries:flood:Capacity"] = "300",
            ["Simulators:Registries:permits:Capacity"] = "300",
        }, CancellationToken.None);
        await using var api = ApiApp.Build(
            new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = Path.Combine(root, "src", "WoningPas.Api") },
            builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Configuration["ConnectionStrings:WoningPas"] = connectionString;
                builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
                // One load generator on one address: at the production limits most answers would be a cheap 429.
                builder.Configuration["RateLimits:PerUserPerMinute"] = "1000000";
                builder.Configuration["RateLimits:PerAddressPerMinute"] = "10000000";
                builder.Configuration.AddInMemoryCollection(simulators.ApiSettings);
                BenchAuthenticationHandler.Use(builder);
            });
        await api.StartAsync();
        var apiAddress = Address(api);

        // 1. Amplification: 90 % of the visits go to a dwelling visited before, 10 % to a new one.
        var visited = new List<(Guid Dwelling, Guid Holder)>();
        var next = 0;
        var gate = new Lock();
        (Guid, Guid) Pick(Random random)
        {
            lock (gate)
            {
#pragma warning disable CA5394 // picks which dwelling to request; nothing secret
                if (visited.Count == 0 || (random.NextDouble() >= 0.9 && next < visits.Count))
#pragma warning restore CA5394
                {
                    visited.Add(visits[next++]);
                    return visited[^1];
                }

#pragma warning disable CA5394
                return visited[random.Next(visited.Count)];
#pragma warning restore CA5394
            }
        }

        var repeatLoad = await PassportLoad.RunAsync(apiAddress, Pick, PassportLoad.Passport, clients, TimeSpan.Zero,
            TimeSpan.FromSeconds(seconds));
        var stats = await simulators.Admin.StatsAsync();
        var registryCalls = stats[SimulatedRegistries.Flood].Calls + stats[SimulatedRegistries.Permits].Calls;
        var parcels = await ParcelCountAsync(connectionString, visited.Select(v => v.Dwelling).ToArray());
        var keys = parcels * 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Repeat-visit load: {repeatLoad.Requests:N0} reads of {visited.Count:N0} dwellings ({keys:N0} keys), {registryCalls:N0} registry calls"));

        // 2. Cached reads (every dwelling visited above is cached) against a bare Kestrel endpoint: the same client,
        // the same clients, the same chooser, both servers up in this process the whole time. The phases alternate in
        // rounds, so that what the rest of a shared machine does in the meantime falls on both alike.
        var cachedSet = visited.ToList();
        (Guid, Guid) PickCached(Random random)
        {
#pragma warning disable CA5394
            return cachedSet[random.Next(cachedSet.Count)];
#pragma warning restore CA5394
        }

        await using var bare = BareKestrel();
        await bare.StartAsync();
        var bareAddress = Address(bare);
        var round = TimeSpan.FromSeconds(seconds / (double)rounds);
        var cachedRounds = new List<PassportLoad>();
        var bareRounds = new List<PassportLoad>();
        var callsBefore = registryCalls;
        for (var i = 0; i < rounds; i++)
        {
            var warmUp = TimeSpan.FromSeconds(i == 0 ? warmUpSeconds : 0.5);
            cachedRounds.Add(await PassportLoad.RunAsync(apiAddress, PickCached, PassportLoad.Passport, clients, warmUp, round,
                ServerCpu.Of(database.DataDirectory)));
            bareRounds.Add(await PassportLoad.RunAsync(bareAddress, PickCached, id => $"/bare/{id}", clients, warmUp, round));
        }

        var cached = PassportLoad.Combine(cachedRounds);
        var bareLoad = PassportLoad.Combine(bareRounds);
        var statsAfter = await simulators.Admin.StatsAsync();
        var callsDuringCached = statsAfter[SimulatedRegistries.Flood].Calls + statsAfter[SimulatedRegistries.Permits].Calls - callsBefore;
        await bare.StopAsync();
        await api.StopAsync();

        var overCapacity = statsAfter.Values.Sum(s => s.OverCapacity);
        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "cache",
            ["measured_at"] = DateTimeOffset.UtcNow,
            ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB",
            ["dwellings_seeded"] = visits.Count,
            ["clients"] = clients,
            ["warm_up_seconds"] = cached.WarmedUp.Seconds,
            ["warm_up_jit_settled"] = cached.WarmedUp.JitSettled && bareLoad.WarmedUp.JitSettled,
            ["seconds_per_phase"] = seconds,
            ["repeat_visit_share"] = 0.9,
            ["repeat_phase_requests"] = repeatLoad.Requests,
            ["repeat_phase_errors"] = repeatLoad.Errors,
            ["dwellings_visited"] = visited.Count,
            ["distinct_keys"] = keys,
            ["registry_calls"] = registryCalls,
            ["amplification"] = keys == 0 ? 0 : Math.Round(registryCalls / (double)keys, 3),
            ["rounds"] = rounds,
            ["cached_requests_per_second"] = Math.Round(cached.SucceededPerSecond),
            ["cached_p50_ms"] = Math.Round(cached.Percentile(0.50), 2),
            ["cached_p99_ms"] = Math.Round(cached.Percentile(0.99), 2),
            ["cached_errors"] = cached.Errors,
            ["cached_cpu_ms_per_request"] = Math.Round(cached.CpuMillisecondsPerRequest, 3),
            ["registry_calls_during_cached_phase"] = callsDuringCached,
            ["bare_requests_per_second"] = Math.Round(bareLoad.SucceededPerSecond),
            ["bare_p50_ms"] = Math.Round(bareLoad.Percentile(0.50), 2),
            ["cached_read_ratio_vs_bare"] = bareLoad.Succeeded == 0 ? 0 : Math.Round(cached.SucceededPerSecond / bareLoad.SucceededPerSecond, 3),
            ["over_capacity_calls"] = overCapacity,
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        var output = Path.Combine(root, "bench", "results", "cache.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, json + Environment.NewLine);
        Console.WriteLine(json);
        Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}");
        return 0;
    }

    /// <summary>The floor: Kestrel answering a small JSON object, no authentication, no database, no logging.</summary>
    private static WebApplication BareKestrel()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/bare/{id:guid}", (Guid id) => Results.Json(new { dwellingId = id, status = "valid" }));
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Every dwelling with one of its holders, in random order (fixed seed), so that first visits spread.</summary>
    private static async Task<List<(Guid Dwelling, Guid Holder)>> DwellingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT ON (dwelling_id) dwelling_id, holder_id FROM real_rights ORDER BY dwelling_id, holder_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var pairs = new List<(Guid, Guid)>();
        while (await reader.ReadAsync())
        {
            pairs.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

#pragma warning disable CA5394 // shuffles the visiting order; nothing secret
        var random = new Random(7);
        return [.. pairs.OrderBy(_ => random.Next())];
#pragma warning restore CA5394
    }

    /// <summary>Distinct parcels under the given dwellings: each is one key at the flood and one at the permit registry.</summary>
    private static async Task<long> ParcelCountAsync(string connectionString, Guid[] dwellingIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(DISTINCT bp.parcel_id) FROM dwellings d
            JOIN building_parcels bp ON bp.building_id = d.building_id
            WHERE d.id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", dwellingIds);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
