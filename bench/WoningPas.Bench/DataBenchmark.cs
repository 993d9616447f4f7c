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

namespace WoningPas.Bench;

/// <summary>
/// Seeds a synthetic Flanders into a fresh PostgreSQL cluster, then loads GET /api/dwellings/{id}/passport on random
/// dwellings as their holders (authorised and access-logged as in production) with a fixed number of concurrent
/// clients, and records the latency distribution and the database size.
/// </summary>
internal static class DataBenchmark
{
    private static readonly Dictionary<string, string?> UnlimitedRegistries = new()
    {
        ["Simulators:Registries:flood:Capacity"] = "100000",
        ["Simulators:Registries:flood:LatencyMs"] = "0",
        ["Simulators:Registries:flood:JitterMs"] = "0",
        ["Simulators:Registries:permits:Capacity"] = "100000",
        ["Simulators:Registries:permits:LatencyMs"] = "0",
        ["Simulators:Registries:permits:JitterMs"] = "0",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var dwellings = BenchArguments.Option(args, "--dwellings", 3_300_000);
        var seconds = BenchArguments.Option(args, "--seconds", 30);
        var clients = BenchArguments.Option(args, "--clients", 16);
        var warmUp = BenchArguments.Option(args, "--warm-up", PassportLoad.DefaultWarmUpSeconds);
        // Measuring reads again without seeding again: the seeder finds the same synthetic Flanders and leaves it.
        var reuse = BenchArguments.Flag(args, "--reuse");
        var root = Repository.Root();
        await using var database = await BenchDatabase.CreateAsync(Path.Combine(root, ".data", "bench-pg"), ";Maximum Pool Size=64", reuse);
        var (cluster, connectionString, ring) = (database.Cluster, database.ConnectionString, database.Ring);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeding {dwellings:N0} dwellings ..."));
        var seed = await new Seeder(connectionString, ring, Console.Error).SeedAsync(dwellings, 1, CancellationToken.None);
        Console.WriteLine(seed.AlreadySeeded
            ? "Already seeded by the last run (--reuse): no seed figures"
            : string.Create(CultureInfo.InvariantCulture,
                $"Seeded {seed.Rows:N0} rows in {seed.Elapsed.TotalSeconds:F1} s ({seed.RowsPerSecond:N0} rows/s)"));

        // What a running server does within minutes of a bulk load, done before measuring rather than during it:
        // autovacuum visits every freshly loaded page (hint bits, visibility map) and the checkpointer writes them
        // out. Left to run in the measured window they took a core of two and set the tail latency.
        var settling = Stopwatch.StartNew();
        await BenchSql.ExecuteAsync(connectionString, "VACUUM");
        await BenchSql.ExecuteAsync(connectionString, "CHECKPOINT");
        var settled = settling.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Vacuumed and checkpointed in {settled.TotalSeconds:F1} s"));

        // A server that has run for a while holds the whole database in memory (shared_buffers is sized for it), and
        // the steady state is the figure. Right after the seed it is in the kernel's cache anyway; a reused seed may not
        // be (measured: a run after the machine had done other work read from disk, 508/s with p99 425 ms).
        var prewarming = Stopwatch.StartNew();
        await BenchSql.ExecuteAsync(connectionString, "CREATE EXTENSION IF NOT EXISTS pg_prewarm");
        await BenchSql.ExecuteAsync(connectionString, """
            SELECT sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
            """);
        var prewarmed = prewarming.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Read the database into shared buffers in {prewarmed.TotalSeconds:F1} s"));

        var holders = await SampleHoldersAsync(connectionString);
        // The flood and permits sections come from the registries' simulators. This bench measures the database path
        // of a passport read, so the registries get no capacity limit and no latency: at their published capacity
        // (permits: 10/s) every uncached read would wait for the permit register, and the figure would be its limit.
        await using var simulators = await RegistrySimulators.StartAsync(root, UnlimitedRegistries, CancellationToken.None);
        await using var api = ApiApp.Build(
            new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = Path.Combine(root, "src", "WoningPas.Api") },
            builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Configuration["ConnectionStrings:WoningPas"] = connectionString;
                // Request logging of every call would measure the console, not the API.
                builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
                // Caches off: every read is the database path this bench measures.
                builder.Configuration["PassportCache:Enabled"] = "false";
                // One load generator on one address: the production rate limits would measure the limiter.
                builder.Configuration["RateLimits:PerUserPerMinute"] = "1000000";
                builder.Configuration["RateLimits:PerAddressPerMinute"] = "10000000";
                builder.Configuration.AddInMemoryCollection(simulators.ApiSettings);
                BenchAuthenticationHandler.Use(builder);
            });
        await api.StartAsync();
        var baseAddress = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

#pragma warning disable CA5394 // picks which dwelling to request; nothing secret
        var load = await PassportLoad.RunAsync(baseAddress, random => holders[random.Next(holders.Count)], PassportLoad.Passport,
            clients, TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds), ServerCpu.Of(database.DataDirectory));
#pragma warning restore CA5394
        await api.StopAsync();
        var databaseSize = await BenchSql.DatabaseSizeAsync(connectionString);

        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "data",
            ["measured_at"] = DateTimeOffset.UtcNow,
            ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB",
            ["dwellings"] = dwellings,
            ["seeded_by_an_earlier_run"] = seed.AlreadySeeded,
            ["vacuum_and_checkpoint_seconds"] = Math.Round(settled.TotalSeconds, 1),
            ["prewarm_seconds"] = Math.Round(prewarmed.TotalSeconds, 1),
            ["passport_clients"] = clients,
            ["passport_warm_up_seconds"] = load.WarmedUp.Seconds,
            ["passport_warm_up_jit_settled"] = load.WarmedUp.JitSettled,
            ["passport_seconds"] = seconds,
            ["passport_requests"] = load.Requests,
            ["passport_errors"] = load.Errors,
            ["passport_requests_per_second"] = Math.Round(load.Requests / (double)seconds),
            ["passport_p50_ms"] = Math.Round(load.Percentile(0.50), 2),
            ["passport_p99_ms"] = Math.Round(load.Percentile(0.99), 2),
            ["passport_max_ms"] = Math.Round(load.Percentile(1.0), 2),
            ["passport_cpu_ms_per_request"] = Math.Round(load.CpuMillisecondsPerRequest, 3),
            ["db_size_bytes"] = databaseSize,
            ["registries"] = "flood and permits from the simulators in this process, over HTTP, with no capacity limit and no latency",
        };
        if (!seed.AlreadySeeded)
        {
            result["seed_rows"] = seed.Rows;
            result["seed_seconds"] = Math.Round(seed.Elapsed.TotalSeconds, 1);
            result["seed_rows_per_second"] = Math.Round(seed.RowsPerSecond);
        }

        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        var output = Path.Combine(root, "bench", "results", "data.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, json + Environment.NewLine);
        Console.WriteLine(json);
        Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}");
        return 0;
    }

    /// <summary>Random (dwelling, holder) pairs to request: a holder reads their own dwelling, as in production.</summary>
    private static async Task<List<(Guid Dwelling, Guid Holder)>> SampleHoldersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT dwelling_id, holder_id FROM real_rights TABLESAMPLE SYSTEM (5) LIMIT 200000", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var pairs = new List<(Guid, Guid)>();
        while (await reader.ReadAsync())
        {
            pairs.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return pairs;
    }
}

internal static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WoningPas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark inside the WoningPas checkout.");
    }
}
