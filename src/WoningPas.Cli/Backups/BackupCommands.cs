using System.Globalization;

namespace WoningPas.Cli.Backups;

/// <summary>`backup` and `restore --verify`: the three-generation backup cycle of the supervisory advice.</summary>
internal static class BackupCommands
{
    public const string Usage = """
          backup [--dir DIR]                        pg_dump a consistent snapshot, encrypt it with the active data key,
                                                    verify it by a scratch restore, keep 3 generations
          restore --verify [--generation NAME] [--dir DIR]
                                                    restore the newest (or named) generation into a scratch database and check it
        """;

    public static async Task<int> BackupAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var store = new BackupStore(Directory(args));
        return await CliApp.WithDatabaseAsync(error, async database =>
        {
            try
            {
                var summary = await new BackupRunner(database.ConnectionString, store, TimeProvider.System, error, new BackupEncryption(database.Ring)).RunAsync(cancellationToken);
                if (!summary.Verification.Passed)
                {
                    await error.WriteLineAsync(
                        $"Backup {summary.Generation} FAILED verification; it is kept as {summary.Generation}{BackupStore.FailedSuffix} and no older generation was deleted:");
                    foreach (var finding in summary.Verification.Findings)
                    {
                        await error.WriteLineAsync("  " + finding);
                    }

                    return 1;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backup {summary.Generation} written and verified: {summary.Manifest.SizeBytes:N0} bytes encrypted under key version {summary.Manifest.Encryption?.KeyVersion}, SHA-256 {summary.Manifest.Sha256}, schema {summary.Manifest.SchemaVersion}, {summary.Verification.Rows:N0} rows, {summary.Elapsed.TotalSeconds:F1} s."));
                await output.WriteLineAsync(summary.Deleted.Count == 0
                    ? $"Generations in {store.Directory}: {string.Join(", ", store.List())}."
                    : $"Generations in {store.Directory}: {string.Join(", ", store.List())}; deleted {string.Join(", ", summary.Deleted)}.");
                return 0;
            }
            catch (BackupException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return 1;
            }
        }, cancellationToken);
    }

    public static async Task<int> RestoreAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!args.Contains("--verify"))
        {
            // A restore over the live database is an operator's decision with pg_restore by hand (docs/operations.md).
            await error.WriteLineAsync("restore needs --verify: it restores into a scratch database and never touches the live one.");
            return 2;
        }

        var store = new BackupStore(Directory(args));
        var generation = CliApp.Option(args, "--generation");
        return await CliApp.WithDatabaseAsync(error, async database =>
        {
            try
            {
                var report = await new RestoreVerifier(database.ConnectionString, store, error, new BackupEncryption(database.Ring)).VerifyAsync(generation, cancellationToken);
                if (!report.Passed)
                {
                    await error.WriteLineAsync($"Generation {report.Generation} restored but does NOT match its manifest:");
                    foreach (var finding in report.Findings)
                    {
                        await error.WriteLineAsync("  " + finding);
                    }

                    return 1;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Generation {report.Generation} verified: checksum and size match, {report.Rows:N0} rows match the manifest table by table, access log chain intact ({report.AccessLog!.EntriesChecked:N0} entries), {report.Elapsed.TotalSeconds:F1} s. The scratch database was dropped."));
                return 0;
            }
            catch (BackupException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return 1;
            }
        }, cancellationToken);
    }

    internal static string Directory(string[] args) =>
        CliApp.Option(args, "--dir") ?? Path.Combine(CliApp.FindRepositoryRootOrCurrent(), ".data", "backups");
}
