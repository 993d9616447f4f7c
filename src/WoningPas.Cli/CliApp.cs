using System.Globalization;
using WoningPas.Cli.Importing;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.LocalPostgres;

namespace WoningPas.Cli;

public static class CliApp
{
    private const string Usage = """
        usage: ./build.sh cli COMMAND [options]
          migrate                                   apply the database migrations
          seed --dwellings N [--seed S]             write a deterministic synthetic Flanders (binary COPY)
          import epc|asbestos FILE [--skip-invalid] validate and import a source agency's CSV file
          verify-audit                              walk the access log's hash chain; exit 1 at the first broken link
        The database: ConnectionStrings__WoningPas, or else the local run's PostgreSQL under .data/pg.
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

        try
        {
            return command switch
            {
                "migrate" => await WithDatabaseAsync(error, async connection =>
                {
                    await output.WriteLineAsync("Database migrated.");
                    return 0;
                }, cancel.Token),
                "seed" => await SeedAsync(args, output, error, format, cancel.Token),
                "import" => await ImportAsync(args, output, error, cancel.Token),
                "verify-audit" => await WithDatabaseAsync(error,
                    connectionString => VerifyAuditAsync(connectionString, output, error, format, cancel.Token), cancel.Token),
                _ => await FailAsync(error, $"unknown command '{command}'.\n{Usage}"),
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
        return await WithDatabaseAsync(error, async connectionString =>
        {
            await output.WriteLineAsync(string.Create(format, $"Seeding {dwellings:N0} dwellings (seed {seed}) ..."));
            var summary = await new Seeder(connectionString, error).SeedAsync(dwellings, seed, cancellationToken);
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
        return await WithDatabaseAsync(error, async connectionString =>
        {
            var summary = await new Importer(connectionString, error).ImportAsync(source, path, skipInvalid, cancellationToken);
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

    private static async Task<int> VerifyAuditAsync(string connectionString, TextWriter output, TextWriter error,
        IFormatProvider format, CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(connectionString));
        var progress = new Progress<long>(count => error.WriteLine(string.Create(format, $"  {count:N0} entries checked ...")));
        var result = await AccessLogVerifier.VerifyAsync(db, progress, cancellationToken);
        if (result.IsIntact)
        {
            await output.WriteLineAsync(string.Create(format, $"Access log intact: {result.EntriesChecked:N0} entries, every link holds."));
            return 0;
        }

        await error.WriteLineAsync(string.Create(format,
            $"Access log BROKEN at entry {result.BrokenAtId}: {result.Problem}. {result.EntriesChecked:N0} entries before it hold."));
        return 1;
    }

    /// <summary>Runs the command on a migrated database: the configured one, or the local run's.</summary>
    private static async Task<int> WithDatabaseAsync(TextWriter error, Func<string, Task<int>> command,
        CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__WoningPas");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await DatabaseSetup.MigrateAsync(configured, seedDemoData: false, cancellationToken);
            return await command(configured);
        }

        var root = FindRepositoryRoot();
        await error.WriteLineAsync("Using the local PostgreSQL under .data/pg.");
        await using var cluster = await PrivateCluster.AttachOrStartAsync(Path.Combine(root, ".data", "pg"), cancellationToken);
        await DatabaseSetup.EnsureDatabaseAsync(cluster.AdminConnectionString, "woningpas", cancellationToken);
        var connectionString = cluster.ConnectionStringFor("woningpas");
        await DatabaseSetup.MigrateAsync(connectionString, seedDemoData: true, cancellationToken);
        return await command(connectionString);
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
