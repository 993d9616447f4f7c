using System.Diagnostics;
using System.Globalization;

namespace WoningPas.Bench;

/// <summary>
/// The closed-loop load of every passport bench: each client sends its next request when the previous one answered,
/// all through one <see cref="HttpClient"/> with one connection per client. The chooser picks the next (dwelling,
/// holder) and the path says what to ask for, so that a passport read and a bare endpoint get exactly the same client.
/// </summary>
internal sealed class PassportLoad
{
    private readonly List<double> _milliseconds;

    private PassportLoad(List<double> milliseconds, long errors, TimeSpan measured, TimeSpan cpu, WarmUp warmedUp)
    {
        _milliseconds = milliseconds;
        _milliseconds.Sort();
        Errors = errors;
        Measured = measured;
        Cpu = cpu;
        WarmedUp = warmedUp;
    }

    /// <summary>The least unmeasured load before the measured window; it goes on until the JIT has settled.</summary>
    public const int DefaultWarmUpSeconds = 10;

    /// <summary>
    /// The warm-up ends once the JIT spent less than this compiling in the last <see cref="SettleWindow"/>, all threads
    /// together: 1 % of one core. Tiered compilation with dynamic PGO takes every hot method through quick, instrumented
    /// and optimised code, on a background thread that two busy cores starve: measured with perf, it still took a fifth
    /// of the machine 25 s into the load, and throughput rose by half once it stopped. A server runs for days; the
    /// steady state is the figure, and a fixed warm-up measured a different mix of the two on every run.
    /// </summary>
    private static readonly TimeSpan SettledBelow = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(2);

    /// <summary>Past this the load is measured anyway, and the result says the JIT had not settled.</summary>
    private static readonly TimeSpan LongestWarmUp = TimeSpan.FromMinutes(2);

    /// <summary>The passport of a dwelling, as a holder's browser asks for it.</summary>
    public static string Passport(Guid dwelling) => $"/api/dwellings/{dwelling}/passport";

    /// <summary>Requests answered in the measured window, failed ones included.</summary>
    public long Requests => _milliseconds.Count;

    /// <summary>Answers that were not a success (a 429 or a 500 is cheap, so it is never counted as throughput).</summary>
    public long Errors { get; }

    public long Succeeded => Requests - Errors;

    /// <summary>The length of the measured window(s).</summary>
    public TimeSpan Measured { get; }

    /// <summary>How long the (first) warm-up took, and whether the JIT had settled by its end.</summary>
    public WarmUp WarmedUp { get; }

    /// <summary>CPU time spent in the window by this process and the measured database server, when one was given.</summary>
    public TimeSpan Cpu { get; }

    public double SucceededPerSecond => Measured > TimeSpan.Zero ? Succeeded / Measured.TotalSeconds : 0;

    /// <summary>CPU milliseconds per answered request: what a request costs, whatever else the machine is doing.</summary>
    public double CpuMillisecondsPerRequest => Requests == 0 ? 0 : Cpu.TotalMilliseconds / Requests;

    public double Percentile(double p) =>
        _milliseconds.Count == 0 ? 0 : _milliseconds[Math.Min(_milliseconds.Count - 1, (int)Math.Ceiling(p * _milliseconds.Count) - 1)];

    /// <summary>Several rounds of the same load as one: latencies, errors, windows and CPU added up.</summary>
    public static PassportLoad Combine(IReadOnlyCollection<PassportLoad> rounds) =>
        new([.. rounds.SelectMany(r => r._milliseconds)], rounds.Sum(r => r.Errors),
            TimeSpan.FromTicks(rounds.Sum(r => r.Measured.Ticks)), TimeSpan.FromTicks(rounds.Sum(r => r.Cpu.Ticks)),
            rounds.First().WarmedUp);

    /// <summary>
    /// Runs the load unmeasured for at least <paramref name="minimumWarmUp"/> and until the JIT has settled, then
    /// <paramref name="duration"/> measured; when <paramref name="serverCpu"/> is given (the CPU time a database server
    /// has used so far), its CPU counts too.
    /// </summary>
    public static async Task<PassportLoad> RunAsync(Uri baseAddress, Func<Random, (Guid Dwelling, Guid Holder)> pick,
        Func<Guid, string> path, int clients, TimeSpan minimumWarmUp, TimeSpan duration, Func<TimeSpan>? serverCpu = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        var errors = 0L;
        var window = new MeasuredWindow();
        var measuring = MeasureAsync(window, minimumWarmUp, duration, serverCpu);
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
#pragma warning disable CA5394 // picks which dwelling to request; nothing secret
            var random = new Random(client);
#pragma warning restore CA5394
            var latencies = new List<double>();
            while (Stopwatch.GetTimestamp() < window.End)
            {
                var (dwelling, holder) = pick(random);
                using var request = new HttpRequestMessage(HttpMethod.Get, path(dwelling));
                request.Headers.Add(BenchAuthenticationHandler.Header, holder.ToString());
                var start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (start < window.Start)
                {
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add(elapsed);
            }

            return latencies;
        })));
        var (cpu, warmedUp) = await measuring;
        return new PassportLoad([.. perClient.SelectMany(l => l)], errors, duration, cpu, warmedUp);
    }

    /// <summary>Warms up, opens the measured window and returns the CPU time spent in it.</summary>
    private static async Task<(TimeSpan Cpu, WarmUp WarmedUp)> MeasureAsync(MeasuredWindow window, TimeSpan minimumWarmUp,
        TimeSpan duration, Func<TimeSpan>? serverCpu)
    {
        var warmUp = Stopwatch.StartNew();
        await Task.Delay(minimumWarmUp);
        var settled = false;
        while (!settled && warmUp.Elapsed < LongestWarmUp)
        {
            var compiling = System.Runtime.JitInfo.GetCompilationTime();
            await Task.Delay(SettleWindow);
            settled = System.Runtime.JitInfo.GetCompilationTime() - compiling < SettledBelow;
        }

        var warmedUp = new WarmUp(warmUp.Elapsed, settled);
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime + (serverCpu?.Invoke() ?? TimeSpan.Zero);
        window.Open(duration);
        await Task.Delay(duration);
        process.Refresh();
        return (process.TotalProcessorTime + (serverCpu?.Invoke() ?? TimeSpan.Zero) - before, warmedUp);
    }

    /// <summary>The measured window in <see cref="Stopwatch"/> ticks: unknown (never) until the warm-up ends.</summary>
    private sealed class MeasuredWindow
    {
        private long _start = long.MaxValue;
        private long _end = long.MaxValue;

        public long Start => Volatile.Read(ref _start);

        public long End => Volatile.Read(ref _end);

        public void Open(TimeSpan duration)
        {
            var start = Stopwatch.GetTimestamp();
            Volatile.Write(ref _end, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _start, start);
        }
    }
}

/// <summary>How long a warm-up took, and whether the JIT had settled (see <see cref="PassportLoad"/>) or time ran out.</summary>
internal sealed record WarmUp(TimeSpan Elapsed, bool JitSettled)
{
    public double Seconds => Math.Round(Elapsed.TotalSeconds, 1);
}

/// <summary>The CPU time of a PostgreSQL cluster's processes (the postmaster and its children), read from /proc.</summary>
internal static class ServerCpu
{
    // Linux counts process time in clock ticks of 1/100 s (USER_HZ) on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static Func<TimeSpan>? Of(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!OperatingSystem.IsLinux() || !File.Exists(pidFile))
        {
            return null;
        }

        var postmaster = File.ReadLines(pidFile).First().Trim();
        return () =>
        {
            double ticks = 0;
            foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(directory, "stat"));
                }
                catch (IOException)
                {
                    continue; // the process ended meanwhile
                }

                // pid (comm) state ppid ... utime stime: fields after the command name, which may hold spaces.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (Path.GetFileName(directory) == postmaster || fields[1] == postmaster)
                {
                    ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }

            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        };
    }
}
