using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.LocalPostgres;

namespace WoningPas.Bench;

/// <summary>
/// A fresh, migrated, empty database on a private cluster of its own: every bench starts from nothing, unless it asks
/// to reuse the last run's.
/// </summary>
internal sealed record BenchDatabase(PrivateCluster Cluster, string DataDirectory, string ConnectionString,
    IKeyEncryptionKey Kek, KeyRing Ring)
    : IAsyncDisposable
{
    /// <param name="directory">The cluster's data directory; whatever a previous run left there is deleted, unless reused.</param>
    /// <param name="connectionOptions">Npgsql settings appended to the connection string, such as a larger pool.</param>
    /// <param name="reuse">Keep what a previous run left in <paramref name="directory"/> instead.</param>
    public static async Task<BenchDatabase> CreateAsync(string directory, string connectionOptions = "", bool reuse = false)
    {
        if (!reuse && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var cluster = await PrivateCluster.StartAsync(directory, durable: true, CancellationToken.None, ServerMemory());
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas", CancellationToken.None);
        var connectionString = cluster.ConnectionStringFor("woningpas") + connectionOptions;
        var kek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(), "Development");
        var ring = await DatabaseSetup.MigrateAsync(connectionString, kek, seedDemoData: false, CancellationToken.None);
        return new BenchDatabase(cluster, Path.GetFullPath(directory), connectionString, kek, ring);
    }

    /// <summary>
    /// Sized as a production server would be (a quarter of the memory for shared buffers, as PostgreSQL's manual
    /// advises), not with the 128 MB default: with it, a read of Flanders' passports copies most pages in from the
    /// kernel's cache on every visit.
    /// </summary>
    private static string[] ServerMemory()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return [$"shared_buffers={memory / 4 / (1024 * 1024)}MB", $"effective_cache_size={memory / 2 / (1024 * 1024)}MB"];
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
