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
    /// Next to the server's initdb when a server is installed (following a symbolic link such as /usr/local/bin/initdb
    /// to the versioned directory), else the newest /usr/lib/postgresql/N/bin, else PATH: a client-only image (the
    /// backup CronJob's) has pg_dump without initdb.
    /// </summary>
    private static string Find(string tool)
    {
        var candidates = new List<string>();
        try
        {
            var bin = PrivateCluster.FindBinDirectory();
            candidates.Add(Path.Combine(bin, tool));
            if (new FileInfo(Path.Combine(bin, "initdb")).ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                candidates.Add(Path.Combine(Path.GetDirectoryName(target.FullName)!, tool));
            }
        }
        catch (InvalidOperationException)
        {
            // No server binaries: look for the client tools alone.
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var n) ? n : 0)
                .Select(v => Path.Combine(v, "bin", tool)));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool)));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new BackupException($"{tool} not found (looked in {string.Join(", ", candidates.Take(4))} ...). Install the PostgreSQL client.");
    }
}

/// <summary>A backup or restore that cannot go on; the message is for the operator.</summary>
internal sealed class BackupException(string message) : Exception(message);
