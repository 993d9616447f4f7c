using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace WoningPas.DevHost;

/// <summary>
/// A clamd of our own: a directory with a config, a Unix socket and a database that holds a single custom signature
/// for the EICAR test file (the official databases cannot be downloaded here, and without them clamd needs a few MB
/// instead of a GB). Started in the foreground, ready once it answers PING with PONG, killed (this process's own
/// child, by its id) on dispose. The local run keeps it under .data/clamd; the tests under a temporary directory that
/// goes with it. The binary is WONINGPAS_CLAMD, /usr/sbin/clamd, or clamd on the PATH; `./build.sh run` and
/// `./build.sh test` install it with apt (clamav-daemon).
/// </summary>
public sealed class LocalClamd : IAsyncDisposable
{
    public const string EicarSignatureName = "WoningPas-EICAR-Test-File";

    private readonly Process _process;
    private readonly string _directory;
    private readonly bool _removeDirectory;
    private int _stopped;

    private LocalClamd(Process process, string directory, bool removeDirectory)
    {
        _process = process;
        _directory = directory;
        _removeDirectory = removeDirectory;
    }

    /// <summary>
    /// The EICAR anti-virus test file: harmless, and detected by every scanner by convention. Assembled at run time so
    /// that no file in the repository is itself flagged by a scanner on a developer's machine.
    /// </summary>
    public static byte[] EicarTestFile { get; } = Encoding.ASCII.GetBytes(
        @"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + "$H+H*");

    public string SocketPath => Path.Combine(_directory, "clamd.sock");

    /// <summary>The value for Documents:Clamd:Endpoint.</summary>
    public string Endpoint => "unix:" + SocketPath;

    /// <summary>
    /// Starts clamd with its files in <paramref name="directory"/> (created; its signatures and config rewritten on
    /// every start), or in a new temporary directory, removed on dispose, when it is null.
    /// </summary>
    public static async Task<LocalClamd> StartAsync(string? directory, CancellationToken cancellationToken = default)
    {
        var binary = FindBinary();
        var removeDirectory = directory is null;
        directory = Path.GetFullPath(directory ?? Path.Combine(Path.GetTempPath(), "woningpas-clamd-" + Guid.NewGuid().ToString("N")[..8]));
        var database = Directory.CreateDirectory(Path.Combine(directory, "db")).FullName;
        var temporary = Directory.CreateDirectory(Path.Combine(directory, "tmp")).FullName;
        // A socket left by a run that was killed would make clamd refuse to bind.
        File.Delete(Path.Combine(directory, "clamd.sock"));

        // A hash signature: MD5 of the whole file, its size and a name (clamd reports it with ".UNOFFICIAL").
        await File.WriteAllTextAsync(Path.Combine(database, "woningpas-test.hdb"),
            $"{Convert.ToHexStringLower(MD5.HashData(EicarTestFile))}:{EicarTestFile.Length}:{EicarSignatureName}\n", cancellationToken);
        var config = Path.Combine(directory, "clamd.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"LocalSocket {Path.Combine(directory, "clamd.sock")}",
            "Foreground yes",
            $"DatabaseDirectory {database}",
            $"TemporaryDirectory {temporary}",
            $"LogFile {Path.Combine(directory, "clamd.log")}",
            $"PidFile {Path.Combine(directory, "clamd.pid")}",
            "Bytecode no",
            "SelfCheck 0",
            "StreamMaxLength 100M",
            "MaxThreads 4",
            ""), cancellationToken);

        var start = new ProcessStartInfo(binary, ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        // Foreground clamd also writes its log to the terminal; reading it keeps the pipe from filling up.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clamd = new LocalClamd(process, directory, removeDirectory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => clamd.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            await clamd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return clamd;
        }
        catch
        {
            await clamd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command (without the z prefix and NUL) and returns the answer.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes("z" + command + "\0"), cancellationToken);
        var buffer = new byte[256];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
            if (buffer.AsSpan(0, length).Contains((byte)0))
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\0');
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (!_removeDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"clamd exited with {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {ReadLog()}");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    if (await CommandAsync("PING", cancellationToken) == "PONG")
                    {
                        return;
                    }
                }
                catch (SocketException)
                {
                    // Bound but not accepting yet.
                }
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"clamd did not answer PING within {limit.TotalSeconds} s: {ReadLog()}");
    }

    private string ReadLog()
    {
        var log = Path.Combine(_directory, "clamd.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static string FindBinary()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("WONINGPAS_CLAMD"), "/usr/sbin/clamd" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, "clamd")));
        return candidates.FirstOrDefault(c => c is { Length: > 0 } && File.Exists(c))
            ?? throw new InvalidOperationException(
                "clamd was not found (WONINGPAS_CLAMD, /usr/sbin/clamd, PATH); ./build.sh installs clamav-daemon.");
    }
}
