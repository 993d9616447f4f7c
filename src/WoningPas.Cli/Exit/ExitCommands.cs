using System.Globalization;

namespace WoningPas.Cli.Exit;

/// <summary>`export`, `import --from` and `exit-keypair`: the rehearsed exit to another provider (docs/exit-runbook.md).</summary>
internal static class ExitCommands
{
    public const string Usage = """
          exit-keypair --out DIR                    make the recipient's RSA-4096 key pair (recipient-public.pem, recipient-private.pem)
          export --to DIR --recipient PUBLIC.pem    every table as versioned JSON Lines, encrypted for the recipient, with a manifest
          import --from DIR --key PRIVATE.pem [--database NAME]
                                                    load an export into an empty instance (NAME: a new database on the same server)
        """;

    public static async Task<int> KeyPairAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (CliApp.Option(args, "--out") is not { } directory)
        {
            await error.WriteLineAsync("exit-keypair needs --out DIR.");
            return 2;
        }

        try
        {
            var (publicPath, privatePath) = RecipientKey.Generate(directory);
            await output.WriteLineAsync($"Public key: {publicPath} (give to export --recipient).");
            await output.WriteLineAsync($"Private key: {privatePath} (owner-only; keep it with the recipient, never next to the export).");
            return 0;
        }
        catch (ExitException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }

    public static async Task<int> ExportAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (CliApp.Option(args, "--to") is not { } directory || CliApp.Option(args, "--recipient") is not { } keyPath)
        {
            await error.WriteLineAsync("export needs --to DIR and --recipient PUBLIC.pem (make a pair with exit-keypair).");
            return 2;
        }

        try
        {
            using var recipient = RecipientKey.Load(keyPath, requirePrivate: false);
            return await CliApp.WithDatabaseAsync(error, async database =>
            {
                var summary = await new Exporter(database.ConnectionString, database.Ring, TimeProvider.System, error).ExportAsync(directory, recipient, cancellationToken);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Exported {summary.Rows:N0} rows in {summary.Manifest.Files.Count} files to {Path.GetFullPath(directory)} (schema {summary.Manifest.SchemaVersion}, recipient key {summary.Manifest.RecipientKeySha256[..16]}…), {summary.Elapsed.TotalSeconds:F1} s."));
                return 0;
            }, cancellationToken);
        }
        catch (ExitException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }

    public static async Task<int> ImportAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (CliApp.Option(args, "--from") is not { } directory || CliApp.Option(args, "--key") is not { } keyPath)
        {
            await error.WriteLineAsync("import needs --from DIR and --key PRIVATE.pem.");
            return 2;
        }

        try
        {
            using var key = RecipientKey.Load(keyPath, requirePrivate: true);
            return await CliApp.WithDatabaseAsync(error, async database =>
            {
                var summary = await new ExitImporter(database.ConnectionString, database.Ring, error).ImportAsync(directory, key, cancellationToken);
                if (!summary.AccessLog.IsIntact)
                {
                    await error.WriteLineAsync(
                        $"Imported {summary.Rows:N0} rows, but the access log chain is broken at entry {summary.AccessLog.BrokenAtId}: {summary.AccessLog.Problem}.");
                    return 1;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Imported {summary.Rows:N0} rows; access log chain intact ({summary.AccessLog.EntriesChecked:N0} entries); {summary.Elapsed.TotalSeconds:F1} s."));
                return 0;
            }, cancellationToken, CliApp.Option(args, "--database"));
        }
        catch (ExitException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }
}
