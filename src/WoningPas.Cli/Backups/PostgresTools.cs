using System.Diagnostics;
using Npgsql;
using WoningPas.LocalPostgres;

namespace WoningPas.Cli.Backups;

/// <summary>
/// pg_dump and pg_restore from the installed PostgreSQL, found like the local cluster finds initdb. The connection
/// goes through PG* environment variables, so a password never appears on a command line (visible in ps).
/// </summary>
internal static class PostgresTools
{
    public static async Task RunAsync(string tool, string connectionString, IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        var path = Find(tool);

        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGDATABASE"] = connection.Database;
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BackupException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new BackupException($"{tool} failed ({process.ExitCode}): {(await error).Trim()} {(await output).Trim()}".Trim());
        }
    }

    /// <summary>
    /// Next to the server's initdb, following a symbolic link (an initdb linked into /usr/local/bin, say) to the
    /// versioned directory that holds the client tools of the same version.
    /// </summary>
    private static string Find(string tool)
    {
        var bin = PrivateCluster.FindBinDirectory();
        var initdb = new FileInfo(Path.Combine(bin, "initdb"));
        string[] candidates =
        [
            Path.Combine(bin, tool),
            .. initdb.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? [Path.Combine(Path.GetDirectoryName(target.FullName)!, tool)]
                : Array.Empty<string>(),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new BackupException($"{tool} not found next to the PostgreSQL server binaries ({string.Join(", ", candidates)}).");
    }
}

/// <summary>A backup or restore that cannot go on; the message is for the operator.</summary>
internal sealed class BackupException(string message) : Exception(message);
