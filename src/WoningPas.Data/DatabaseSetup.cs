using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Data.Demo;
using WoningPas.Data.Encryption;

namespace WoningPas.Data;

/// <summary>Brings a database to the current schema and, when asked, fills it with the demo data.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// Applies the migrations, loads the key ring (making the first data-key version on a new database), encrypts any
    /// value stored before encryption existed, and seeds the demo data when asked. Returns the loaded key ring.
    /// </summary>
    public static async Task<KeyRing> MigrateAsync(string connectionString, IKeyEncryptionKey kek, bool seedDemoData,
        CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        await db.Database.MigrateAsync(cancellationToken);
        var ring = await KeyRing.LoadAsync(connectionString, kek, TimeProvider.System, cancellationToken);
        await new ReEncryption(connectionString, ring, TextWriter.Null).RunAsync(plaintextOnly: true, cancellationToken);
        if (seedDemoData)
        {
            await DemoData.SeedAsync(db, ring, cancellationToken);
        }

        return ring;
    }

    /// <summary>Creates the database when the server does not have it yet (idempotent).</summary>
    public static async Task EnsureDatabaseAsync(string adminConnectionString, string database,
        CancellationToken cancellationToken)
    {
        if (!IsPlainName(database))
        {
            throw new ArgumentException("A database name here is lower-case letters, digits and underscores.", nameof(database));
        }

        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
#pragma warning disable CA2100 // identifiers cannot be parameters; the name was checked above
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
#pragma warning restore CA2100
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
