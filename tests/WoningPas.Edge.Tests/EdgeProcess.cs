using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WoningPas.Edge.Tests;

/// <summary>
/// The real edge: deploy/edge/edge.sh renders the nginx, ModSecurity/CRS and GeoIP configuration into a private run
/// directory and runs nginx in the foreground, in front of the origins a test gives it.
/// </summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    private readonly Process _nginx;

    private EdgeProcess(Process nginx, Uri url, string runDirectory)
    {
        _nginx = nginx;
        Url = url;
        RunDirectory = runDirectory;
    }

    public Uri Url { get; }

    public string RunDirectory { get; }

    public static async Task<EdgeProcess> StartAsync(Uri web, Uri api, IDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(web);
        ArgumentNullException.ThrowIfNull(api);
        var port = FreePort();
        var run = Directory.CreateTempSubdirectory("woningpas-edge-").FullName;
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "deploy", "edge", "edge.sh"), "run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["EDGE_RUN_DIR"] = run;
        start.Environment["EDGE_LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["EDGE_WEB"] = $"{web.Host}:{web.Port}";
        start.Environment["EDGE_API"] = $"{api.Host}:{api.Port}";
        start.Environment["EDGE_WORKERS"] = "1";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // edge.sh ends in exec: the process started here becomes the nginx master.
        var nginx = Process.Start(start) ?? throw new InvalidOperationException("edge.sh did not start.");
        var output = new System.Text.StringBuilder();
        nginx.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        nginx.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        nginx.BeginOutputReadLine();
        nginx.BeginErrorReadLine();
        var edge = new EdgeProcess(nginx, new Uri($"http://127.0.0.1:{port}/"), run);
        var failure = await WaitUntilReadyAsync(nginx, edge.Url, port);
        if (failure is null)
        {
            return edge;
        }

        await edge.DisposeAsync();
        throw new InvalidOperationException($"{failure}: {output}");
    }

    /// <summary>Null once nginx itself answers (only the edge adds X-Cache-Status), otherwise why not.</summary>
    private static async Task<string?> WaitUntilReadyAsync(Process nginx, Uri url, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (nginx.HasExited)
            {
                return $"The edge stopped at start (exit {nginx.ExitCode})";
            }

            try
            {
                using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                using var request = new HttpRequestMessage(HttpMethod.Head, url);
                request.Headers.Host = $"localhost:{port}";
                using var response = await probe.SendAsync(request);
                if (response.Headers.Contains("X-Cache-Status"))
                {
                    return null;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return $"The edge did not answer on {port} within 60 s";
    }

    /// <summary>The lines nginx wrote to its error log (ModSecurity reports its refusals there).</summary>
    public string ErrorLog() => File.ReadAllText(Path.Combine(RunDirectory, "logs", "error.log"));

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            // SIGTERM to the master: it stops its workers too. Killing only the master would leave them running.
            using (var kill = Process.Start("kill", ["-TERM", _nginx.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _nginx.WaitForExitAsync(timeout.Token);
        }

        _nginx.Dispose();
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the next run gets its own.
        }
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up), so that no outgoing connection of a parallel test
    /// can take it between this check and nginx's bind.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = System.Security.Cryptography.RandomNumberGenerator.GetInt32(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free port between 20000 and 32000.");
    }
}

internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WoningPas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WoningPas.sln not found above the test binaries.");
    }
}
