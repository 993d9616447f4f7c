using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WoningPas.LocalPostgres;

/// <summary>
/// A PostgreSQL cluster of our own, started from the installed server binaries: for the local run (kept under
/// .data/) and for tests where no database is given and no Docker engine answers (a throwaway temp directory).
/// PostgreSQL refuses to run as root, so as root every server command runs as the postgres user.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _deleteOnDispose;
    private bool _stopped;

    private PrivateCluster(string binDirectory, string dataDirectory, int port, bool deleteOnDispose)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _deleteOnDispose = deleteOnDispose;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Superuser connection to the maintenance database; trust authentication on loopback only.</summary>
    public string AdminConnectionString =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");

    public string ConnectionStringFor(string database) => ConnectionStringFor(database, "postgres");

    /// <summary>As another role of the cluster (the application's restricted role, say); trusted on loopback.</summary>
    public string ConnectionStringFor(string database, string user) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={user};Database={database}");

    /// <summary>
    /// Starts (creating if needed) the cluster in <paramref name="dataDirectory"/> on a free loopback port. A cluster
    /// that is not <paramref name="durable"/> runs without fsync and is deleted on dispose: for tests only.
    /// <paramref name="serverSettings"/> are further <c>name=value</c> settings, such as a bench's memory sizes.
    /// </summary>
    public static async Task<PrivateCluster> StartAsync(string dataDirectory, bool durable, CancellationToken cancellationToken,
        params IEnumerable<string> serverSettings)
    {
        var bin = FindBinDirectory();
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await HandToServerUserAsync(dataDirectory, cancellationToken);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            string[] initdb = ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"];
            await RunAsync(Path.Combine(bin, "initdb"), cancellationToken, durable ? initdb : [.. initdb, "--no-sync"]);
        }

        var cluster = new PrivateCluster(bin, dataDirectory, FreePort(), deleteOnDispose: !durable);
        // A local run killed hard leaves a server behind: stop it rather than fail on its port or its lock file.
        await cluster.StopIfRunningAsync(cancellationToken);
        var settings = string.Join(' ',
            $"-p {cluster.Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories='{dataDirectory}'",
            "-c max_connections=200",
            durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            string.Join(' ', serverSettings.Select(setting => $"-c {setting}")));
        await RunAsync(Path.Combine(bin, "pg_ctl"), cancellationToken,
            "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-o", settings, "-w", "-t", "60", "start");
        return cluster;
    }

    /// <summary>
    /// The cluster in <paramref name="dataDirectory"/>: the running one when there is one (the local run's, say), which
    /// is then left running on dispose; otherwise one started here, durable, and stopped on dispose.
    /// </summary>
    public static async Task<PrivateCluster> AttachOrStartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var bin = FindBinDirectory();
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        var running = File.Exists(pidFile) && await RunAsync(Path.Combine(bin, "pg_ctl"), cancellationToken,
            allowFailure: true, "-D", dataDirectory, "status") == 0;
        if (!running)
        {
            return await StartAsync(dataDirectory, durable: true, cancellationToken);
        }

        // postmaster.pid: pid, data directory, start time, port, ... (one per line).
        var port = int.Parse((await File.ReadAllLinesAsync(pidFile, cancellationToken))[3], CultureInfo.InvariantCulture);
        return new PrivateCluster(bin, dataDirectory, port, deleteOnDispose: false) { _stopped = true };
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), CancellationToken.None,
            "-D", _dataDirectory, "-m", "fast", "-w", "stop");
        if (_deleteOnDispose)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private async Task StopIfRunningAsync(CancellationToken cancellationToken)
    {
        var status = await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), cancellationToken, allowFailure: true,
            "-D", _dataDirectory, "status");
        if (status == 0)
        {
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), cancellationToken,
                "-D", _dataDirectory, "-m", "fast", "-w", "stop");
        }
    }

    /// <summary>The newest installed server's binaries: PATH first, then Debian's versioned directories.</summary>
    public static string FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "initdb"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return Path.GetDirectoryName(Path.GetFullPath(onPath))!;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb) found. Install the postgresql package, or run ./build.sh, which does.");
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static async Task HandToServerUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunningAsRoot)
        {
            return;
        }

        await RunAsync("chown", cancellationToken, "-R", "postgres:postgres", directory);
        // initdb insists on a private data directory.
        await RunAsync("chmod", cancellationToken, "700", directory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<int> RunAsync(string program, CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(program, cancellationToken, allowFailure: false, arguments);

    private static async Task<int> RunAsync(string program, CancellationToken cancellationToken, bool allowFailure,
        params string[] arguments)
    {
        var asServerUser = RunningAsRoot && program.StartsWith('/');
        var start = new ProcessStartInfo(asServerUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asServerUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }

        return process.ExitCode;
    }
}
