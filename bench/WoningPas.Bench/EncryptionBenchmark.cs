using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WoningPas.Cli.Keys;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.LocalPostgres;

namespace WoningPas.Bench;

/// <summary>
/// What encryption at rest costs: sealing a person (INSZ and name under AES-256-GCM, plus the HMAC blind index) on
/// one thread and on every core, opening one, loading the key ring through the PKCS#11 token, and rotate-keys over a
/// seeded database.
/// </summary>
internal static class EncryptionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var people = BenchArguments.Option(args, "--people", 1_000_000);
        var dwellings = BenchArguments.Option(args, "--dwellings", 100_000);
        var root = Repository.Root();
        var directory = Path.Combine(root, ".data", "bench-encryption-pg");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await using var cluster = await PrivateCluster.StartAsync(directory, durable: true, CancellationToken.None);
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas", CancellationToken.None);
        var connectionString = cluster.ConnectionStringFor("woningpas");
        var kek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(), "Development");
        var ring = await DatabaseSetup.MigrateAsync(connectionString, kek, seedDemoData: false, CancellationToken.None);

        var load = Stopwatch.StartNew();
        const int loads = 20;
        for (var i = 0; i < loads; i++)
        {
            await KeyRing.LoadAsync(connectionString, kek, TimeProvider.System, CancellationToken.None);
        }

        var ringLoadMs = load.Elapsed.TotalMilliseconds / loads;
        var sealOne = Seal(ring, people, 1);
        var sealAll = Seal(ring, people, Environment.ProcessorCount);
        var sample = PersonFields.Create(ring, Guid.CreateVersion7(), SyntheticInsz(0), "Synthetic Person 0");
        var open = Stopwatch.StartNew();
        for (var i = 0; i < people; i++)
        {
            ring.DisplayName(sample);
        }

        var openPerSecond = people / open.Elapsed.TotalSeconds;

        await new Seeder(connectionString, ring, TextWriter.Null).SeedAsync(dwellings, 1, CancellationToken.None);
        var rotation = Stopwatch.StartNew();
        var counts = await new KeyCommands(connectionString, kek, TimeProvider.System, TextWriter.Null, TextWriter.Null) { BatchSize = 5_000 }
            .RotateAsync(CancellationToken.None);
        var rotationSeconds = rotation.Elapsed.TotalSeconds;
        var rotatedRows = counts.Where(c => c.Column == PersonFields.InszColumn).Sum(c => c.Values);

        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "encryption",
            ["measured_at"] = DateTimeOffset.UtcNow,
            ["machine"] = $"{Environment.ProcessorCount} cores",
            ["kek"] = kek.Id,
            ["key_ring_load_ms"] = Math.Round(ringLoadMs, 2),
            ["people_sealed"] = people,
            ["seal_people_per_second_1_thread"] = Math.Round(sealOne),
            [$"seal_people_per_second_{Environment.ProcessorCount}_threads"] = Math.Round(sealAll),
            ["open_names_per_second_1_thread"] = Math.Round(openPerSecond),
            ["rotation_people"] = rotatedRows,
            ["rotation_seconds"] = Math.Round(rotationSeconds, 1),
            ["rotation_people_per_second"] = Math.Round(rotatedRows / rotationSeconds),
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        var output = Path.Combine(root, "bench", "results", "encryption.json");
        await File.WriteAllTextAsync(output, json + Environment.NewLine);
        Console.WriteLine(json);
        Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}");
        return 0;
    }

    /// <summary>People per second sealed as the seeder does: two AES-GCM values and one HMAC per person.</summary>
    private static double Seal(KeyRing ring, int people, int threads)
    {
        var numbers = Enumerable.Range(0, 1024).Select(SyntheticInsz).ToArray();
        var id = Guid.CreateVersion7();
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            for (var i = thread; i < people; i += threads)
            {
                PersonFields.Create(ring, id, numbers[i % numbers.Length], "Synthetic Person");
            }
        });
        return people / stopwatch.Elapsed.TotalSeconds;
    }

    private static Domain.Insz SyntheticInsz(int index) => Domain.Insz.Parse(SyntheticFlanders.Insz(index));
}
