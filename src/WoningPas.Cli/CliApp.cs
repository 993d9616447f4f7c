using System.Globalization;
using Npgsql;
using WoningPas.Cli.Backups;
using WoningPas.Cli.Exit;
using WoningPas.Cli.Importing;
using WoningPas.Cli.Keys;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.LocalPostgres;

namespace WoningPas.Cli;

public static class CliApp
{
    private static readonly string Usage = $"""
        usage: ./build.sh cli COMMAND [options]
          migrate                                   apply the database migrations
          seed --dwellings N [--seed S]             write a deterministic synthetic Flanders (binary COPY)
          import epc|asbestos FILE [--skip-invalid] validate and import a source agency's CSV file
          verify-audit [--anchors PATH]             walk the access log's hash chain and check every anchored head is
                                                    still in it; exit 1 at the first broken link or cut-off tail
          anchor-audit [--anchors PATH]             append the log's head (last id, hash, time; HMAC) to the anchor store
          rotate-keys [--batch N] [--dir DIR]       new data-key version; re-encrypt every value and backup generation (resumable)
          key-versions [--dir DIR]                  list the data-key versions and the values and backups under each
          destroy-key VERSION [--dir DIR]           erase a retired version's keys (crypto-shredding); refused while a
                                                    value or a backup generation in DIR is still under it
          create-kek                                generate the key-encryption key inside the PKCS#11 token
        {BackupCommands.Usage}
        {ExitCommands.Usage}
        The anchor store: --anchors PATH, or AccessLog__AnchorPath (WORM storage in production, see docs/operations.md).
        The database: ConnectionStrings__WoningPas, or else the local run's PostgreSQL under .data/pg.
        The key-encryption key: Encryption__Provider, Encryption__Pkcs11__LibraryPath, __TokenLabel, __Pin, __KeyLabel
        (./build.sh sets up a SoftHSM2 token under .data/softhsm for the local run).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IFormatProvider format)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var command = args.FirstOrDefault();
        if (command is null or "help" or "--help")
        {
            await output.WriteLineAsync(Usage);
            return command is null ? 2 : 0;
        }

        if (CliCommands.Problem(args) is { } problem)
        {
            return await FailAsync(error, $"{problem}\n{Usage}");
        }

        try
        {
            return command switch
            {
                "migrate" => await WithDatabaseAsync(error, async database =>
                {
                    await output.WriteLineAsync("Database migrated; every personal value is encrypted.");
                    return 0;
                }, cancel.Token),
                "rotate-keys" => await WithDatabaseAsync(error, async database =>
                {
                    var keys = Keys(database, args, output, error, TryInt(args, "--batch", out var batch) && batch > 0 ? batch : 2_000);
                    await keys.RotateAsync(cancel.Token);
                    return keys.BackupFailures.Count == 0 ? 0 : 1;
                }, cancel.Token),
                "key-versions" => await WithDatabaseAsync(error, async database =>
                {
                    await Keys(database, args, output, error).ListAsync(cancel.Token);
                    return 0;
                }, cancel.Token),
                "destroy-key" => args.Length >= 2 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                    ? await WithDatabaseAsync(error, async database =>
                        await Keys(database, args, output, error).DestroyAsync(version, error, cancel.Token) ? 0 : 1, cancel.Token)
                    : await FailAsync(error, "destroy-key needs the version number (see key-versions)."),
                "create-kek" => await CreateKeyEncryptionKeyAsync(output, error),
                "seed" => await SeedAsync(args, output, error, format, cancel.Token),
                "import" when args.Contains("--from") => await ExitCommands.ImportAsync(args, output, error, cancel.Token),
                "export" => await ExitCommands.ExportAsync(args, output, error, cancel.Token),
                "exit-keypair" => await ExitCommands.KeyPairAsync(args, output, error),
                "import" => await ImportAsync(args, output, error, cancel.Token),
                "backup" => await BackupCommands.BackupAsync(args, output, error, cancel.Token),
                "restore" => await BackupCommands.RestoreAsync(args, output, error, cancel.Token),
                "verify-audit" => await WithDatabaseAsync(error,
                    database => AuditCommands.VerifyAsync(database, AuditCommands.AnchorPath(args), output, error, format, cancel.Token), cancel.Token),
                "anchor-audit" => AuditCommands.AnchorPath(args) is { } anchors
                    ? await WithDatabaseAsync(error, database => AuditCommands.AnchorAsync(database, anchors, output, error, format, cancel.Token), cancel.Token)
                    : await FailAsync(error, "anchor-audit needs the anchor store: --anchors PATH or AccessLog__AnchorPath."),
                _ => throw new InvalidOperationException($"CliCommands accepts '{command}' but nothing runs it."),
            };
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static async Task<int> SeedAsync(string[] args, TextWriter output, TextWriter error, IFormatProvider format,
        CancellationToken cancellationToken)
    {
        if (!TryInt(args, "--dwellings", out var dwellings) || dwellings < 1)
        {
            return await FailAsync(error, "seed needs --dwellings N with N at least 1.");
        }

        var seed = TryInt(args, "--seed", out var s) ? s : 1;
        return await WithDatabaseAsync(error, async database =>
        {
            await output.WriteLineAsync(string.Create(format, $"Seeding {dwellings:N0} dwellings (seed {seed}) ..."));
            var summary = await new Seeder(database.ConnectionString, database.Ring, error).SeedAsync(dwellings, seed, cancellationToken);
            await output.WriteLineAsync(summary.AlreadySeeded
                ? string.Create(format, $"Already seeded: {dwellings:N0} dwellings with seed {seed} are in place; nothing written.")
                : string.Create(format,
                    $"Seeded {summary.Dwellings:N0} dwellings: {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:F1} s ({summary.RowsPerSecond:N0} rows/s)."));
            return 0;
        }, cancellationToken);
    }

    private static async Task<int> ImportAsync(string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        if (positional.Count != 2 || ImportSource.Find(positional[0], today) is not { } source)
        {
            return await FailAsync(error, $"import needs a source ({string.Join(", ", ImportSource.Names)}) and a file.");
        }

        var path = positional[1];
        if (!File.Exists(path))
        {
            return await FailAsync(error, $"no file at {path}.");
        }

        var skipInvalid = args.Contains("--skip-invalid");
        return await WithDatabaseAsync(error, async database =>
        {
            var summary = await new Importer(database.ConnectionString, error).ImportAsync(source, path, skipInvalid, cancellationToken);
            if (!summary.Written)
            {
                await error.WriteLineAsync(
                    $"Rejected: {summary.Rejected} of {summary.Rows} rows break a rule; nothing was written. " +
                    $"Every finding (line, field, rule) is in {summary.ReportPath}. Fix the file, or import the valid rows with --skip-invalid.");
                return 1;
            }

            if (summary.ReportPath is null)
            {
                File.Delete(path + ".rejects.csv");
            }

            await output.WriteLineAsync(summary.Rejected == 0
                ? $"Imported {summary.Imported} of {summary.Rows} rows."
                : $"Imported {summary.Imported} of {summary.Rows} rows; {summary.Rejected} rejected rows are listed in {summary.ReportPath}.");
            return 0;
        }, cancellationToken);
    }

    /// <summary>A migrated database, its key-encryption key and its loaded key ring.</summary>
    internal sealed record Database(string ConnectionString, IKeyEncryptionKey Kek, KeyRing Ring);

    /// <summary>Key commands that cover the backup directory too (<c>--dir</c>, else the default one of backup).</summary>
    private static KeyCommands Keys(Database database, string[] args, TextWriter output, TextWriter progress, int batchSize = 2_000) =>
        new(database.ConnectionString, database.Kek, TimeProvider.System, output, progress)
        {
            BatchSize = batchSize,
            Backups = new BackupStore(BackupCommands.Directory(args)),
        };

    /// <summary>
    /// Runs the command on a migrated database: the configured one (environment from DOTNET_ENVIRONMENT, Production
    /// when unset), or the local run's (Development); or, given a name, another database on the same server, created
    /// and migrated without demo data when missing (an empty instance to import into).
    /// </summary>
    internal static async Task<int> WithDatabaseAsync(TextWriter error, Func<Database, Task<int>> command,
        CancellationToken cancellationToken, string? database = null)
    {
        var configured = Environment.GetEnvironmentVariable(CliEnvironment.ConnectionString);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (database is not null)
            {
                await DatabaseSetup.EnsureDatabaseAsync(
                    new NpgsqlConnectionStringBuilder(configured) { Database = "postgres" }.ConnectionString, database, cancellationToken);
                configured = new NpgsqlConnectionStringBuilder(configured) { Database = database }.ConnectionString;
            }

            var kek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(),
                Environment.GetEnvironmentVariable(CliEnvironment.EnvironmentName) ?? "Production");
            var ring = await DatabaseSetup.MigrateAsync(configured, kek, seedDemoData: false, cancellationToken);
            return await command(new Database(configured, kek, ring));
        }

        var localKek = KeyEncryptionKeys.Create(EncryptionSettings.FromEnvironment(), "Development");
        var root = FindRepositoryRoot();
        await error.WriteLineAsync("Using the local PostgreSQL under .data/pg.");
        await using var cluster = await PrivateCluster.AttachOrStartAsync(Path.Combine(root, ".data", "pg"), cancellationToken);
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, database ?? "woningpas", cancellationToken);
        var connectionString = cluster.ConnectionStringFor(database ?? "woningpas");
        var localRing = await DatabaseSetup.MigrateAsync(connectionString, localKek, seedDemoData: database is null, cancellationToken);
        return await command(new Database(connectionString, localKek, localRing));
    }

    /// <summary>The key ceremony's step in the token: generates the KEK there (non-extractable) unless it exists.</summary>
    private static async Task<int> CreateKeyEncryptionKeyAsync(TextWriter output, TextWriter error)
    {
        var settings = EncryptionSettings.FromEnvironment();
        settings.Pkcs11.CreateKeyIfMissing = false;
        if (settings.Provider != EncryptionSettings.Pkcs11Provider || settings.Problems("Production") is { Count: > 0 })
        {
            return await FailAsync(error, "create-kek needs a PKCS#11 token: " + string.Join(" ", settings.Problems("Production")));
        }

        var created = new Pkcs11KeyEncryptionKey(settings.Pkcs11).CreateKey();
        await output.WriteLineAsync(created
            ? $"Generated the key-encryption key '{settings.Pkcs11.KeyLabel}' in token '{settings.Pkcs11.TokenLabel}' (sensitive, not extractable)."
            : $"The token '{settings.Pkcs11.TokenLabel}' already holds '{settings.Pkcs11.KeyLabel}'; nothing changed.");
        return 0;
    }

    internal static string FindRepositoryRootOrCurrent()
    {
        try
        {
            return FindRepositoryRoot();
        }
        catch (InvalidOperationException)
        {
            return Directory.GetCurrentDirectory();
        }
    }

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WoningPas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the CLI inside the WoningPas checkout, or set ConnectionStrings__WoningPas.");
    }

    private static bool TryInt(string[] args, string name, out int value)
    {
        var index = Array.IndexOf(args, name);
        value = 0;
        return index >= 0 && index + 1 < args.Length
            && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync(message);
        return 2;
    }
}

/// <summary>
/// Reports on the caller's thread. <see cref="Progress{T}"/> posts each report to the thread pool, where it could
/// still write after the command returned and its writer was closed (a crash seen in the CLI tests).
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
