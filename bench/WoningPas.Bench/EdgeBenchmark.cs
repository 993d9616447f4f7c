using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WoningPas.Web;
using WoningPas.Web.Localization;

namespace WoningPas.Bench;

/// <summary>
/// A launch day through the edge: the real Web behind deploy/edge (nginx with the cache, ModSecurity + CRS and the
/// country filter), loaded by wrk with a fixed, realistic list of page views and the assets of first visits. Counts
/// what reached the Web, and compares the edge's throughput with the same nginx serving one static file of the average
/// response's size (same WAF and country filter, same run).
/// </summary>
internal static partial class EdgeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pageViews = BenchArguments.Option(args, "--page-views", 50_000);
        var connections = BenchArguments.Option(args, "--connections", 64);
        var threads = BenchArguments.Option(args, "--threads", 2);
        var roundCount = BenchArguments.Option(args, "--rounds", 3);
        var roundRequests = BenchArguments.Option(args, "--round-requests", 5_000);
        var root = Repository.Root();
        var work = Directory.CreateTempSubdirectory("woningpas-bench-edge-").FullName;
        try
        {
            var originRequests = 0;
            await using var web = WebApp.Build(
                new WebApplicationOptions
                {
                    EnvironmentName = "Production",
                    ContentRootPath = Path.Combine(root, "src", "WoningPas.Web"),
                    WebRootPath = Path.Combine(root, "src", "WoningPas.Web", "wwwroot"),
                },
                builder =>
                {
                    builder.WebHost.UseUrls("http://127.0.0.1:0");
                    builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
                    builder.Services.AddSingleton<IStartupFilter>(new CountingFilter(() => Interlocked.Increment(ref originRequests)));
                });
            await web.StartAsync();
            var webUrl = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            var assets = await AssetsAsync(webUrl);
            var list = Mix(pageViews, assets);
            var listFile = Path.Combine(work, "requests.txt");
            await File.WriteAllLinesAsync(listFile, list.Requests);

            // The static file: the average size of what the mix returns, compressed as the browsers ask.
            var averageBytes = await AverageResponseBytesAsync(webUrl, list.Requests.Distinct(StringComparer.Ordinal).ToList(), list.Requests);
            var staticRoot = Path.Combine(work, "static");
            Directory.CreateDirectory(staticRoot);
            var staticBody = new byte[averageBytes];
            System.Security.Cryptography.RandomNumberGenerator.Fill(staticBody);
            await File.WriteAllBytesAsync(Path.Combine(staticRoot, "page.html"), staticBody);
            // nginx's workers run unprivileged and must read the static file.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(work, (UnixFileMode)0b111_101_101);
            }

            var edgePort = FreePort();
            var staticPort = FreePort();
            using var edge = StartEdge(root, Path.Combine(work, "edge"), webUrl, edgePort, staticPort, staticRoot);
            await WaitForAsync(edgePort);
            // Origin requests counted from here on: the readiness probe above is not part of the load.
            var before = Volatile.Read(ref originRequests);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Edge: {list.Requests.Count:N0} requests ({pageViews:N0} page views + {list.Requests.Count - pageViews:N0} assets), {connections} connections ..."));
            var edgeRun = await WrkAsync(root, edgePort, listFile, threads, connections, work);
            var reachedWeb = Volatile.Read(ref originRequests) - before;

            // Throughput against a static file of the average size: alternating rounds, because on a shared machine
            // the load of others changes from minute to minute; the median ratio of the rounds is reported.
            var roundList = Path.Combine(work, "round.txt");
            await File.WriteAllLinesAsync(roundList, list.Requests.Take(roundRequests));
            var rounds = new List<(double Edge, double Static)>();
            for (var round = 0; round < roundCount; round++)
            {
                var edgeRound = await WrkAsync(root, edgePort, roundList, threads, connections, work);
                // The same requests (paths, queries, headers), answered by one static file: only the serving differs.
                var staticRound = await WrkAsync(root, staticPort, roundList, threads, connections, work);
                rounds.Add((edgeRound.RequestsPerSecond, staticRound.RequestsPerSecond));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Round {round + 1}: edge {edgeRound.RequestsPerSecond:F0}/s, static file of {averageBytes:N0} bytes {staticRound.RequestsPerSecond:F0}/s"));
            }

            var ratios = rounds.Select(r => r.Edge / r.Static).Order().ToList();
            var medianRatio = ratios[ratios.Count / 2];

            await StopAsync(edge);
            await web.StopAsync();

            var hitRatio = 1.0 - (double)reachedWeb / edgeRun.Requests;
            var result = new Dictionary<string, object>
            {
                ["benchmark"] = "edge",
                ["measured_at"] = DateTimeOffset.UtcNow,
                ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB",
                ["page_views"] = pageViews,
                ["asset_requests"] = list.Requests.Count - pageViews,
                ["requests"] = edgeRun.Requests,
                ["distinct_urls"] = list.Requests.Distinct(StringComparer.Ordinal).Count(),
                ["origin_requests"] = reachedWeb,
                ["hit_ratio"] = Math.Round(hitRatio, 5),
                ["non_2xx_responses"] = edgeRun.Errors,
                ["edge_requests_per_second"] = Math.Round(edgeRun.RequestsPerSecond),
                ["edge_latency_p50_ms"] = edgeRun.P50Ms,
                ["edge_latency_p99_ms"] = edgeRun.P99Ms,
                ["static_file_bytes"] = averageBytes,
                ["throughput_rounds"] = rounds.Select(r => new Dictionary<string, double>
                {
                    ["edge_requests_per_second"] = Math.Round(r.Edge),
                    ["static_requests_per_second"] = Math.Round(r.Static),
                }).ToList(),
                ["throughput_ratio_vs_static"] = Math.Round(medianRatio, 3),
                ["load"] = $"wrk, {threads} threads, {connections} connections, Accept-Encoding: gzip, deflate, br",
                ["edge"] = "deploy/edge: proxy_cache, ModSecurity with OWASP CRS 3.3 (blocking, paranoia level 1), GeoIP allow-list; access log off; static server behind the same WAF and filter, answering the same request list with one file",
            };
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(json);
            var output = Path.Combine(root, "bench", "results", "edge.json");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, json + Environment.NewLine);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// A fixed (seeded) launch-day mix: mostly the home page and the passport shell, then the guide, the FAQ and the
    /// rest; one view in six in English. One view in five is a first visit, which also loads the stylesheets and the
    /// icon (and the script on the passport page); later views have them in the browser cache.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness",
        Justification = "A seeded generator makes every run load the same list.")]
    private static (List<string> Requests, int PageViews) Mix(int pageViews, Assets assets)
    {
        var weighted = new List<(SitePage? Page, SectionGuide? Section, int Weight)>
        {
            (SitePages.Home, null, 30),
            (SitePages.Passport, null, 30),
            (SitePages.Guide, null, 8),
            (SitePages.Faq, null, 8),
            (SitePages.SignInHelp, null, 5),
            (SitePages.Shared, null, 3),
            (SitePages.Privacy, null, 2),
            (SitePages.Accessibility, null, 1),
        };
        weighted.AddRange(SectionGuides.All.Select(g => ((SitePage?)null, (SectionGuide?)g, g.ApiKey is "epc" or "renovation" ? 3 : 1)));
        var total = weighted.Sum(w => w.Weight);
        var random = new Random(20261124);
        var requests = new List<string>(pageViews * 2);
        for (var view = 0; view < pageViews; view++)
        {
            var english = random.Next(6) == 0;
            var language = english ? SiteLanguage.English : SiteLanguage.Dutch;
            var pick = random.Next(total);
            var chosen = weighted.First(w => (pick -= w.Weight) < 0);
            var path = chosen.Page is not null ? chosen.Page.PathIn(language) : SitePages.SectionPath(chosen.Section!, language);
            requests.Add(path);
            if (random.Next(5) == 0)
            {
                requests.Add(assets.Css);
                requests.Add(assets.PrintCss);
                requests.Add(assets.Icon);
                if (chosen.Page == SitePages.Passport)
                {
                    requests.AddRange(assets.PassportScripts);
                }
            }
        }

        return (requests, pageViews);
    }

    /// <summary>
    /// What a first visit loads besides the page: stylesheets, icon, and on the passport page its script and the
    /// modules it preloads (documents, reports, sharing, access log).
    /// </summary>
    private sealed record Assets(string Css, string PrintCss, string Icon, IReadOnlyList<string> PassportScripts);

    /// <summary>The fingerprinted asset URLs, as the pages link them.</summary>
    private static async Task<Assets> AssetsAsync(Uri web)
    {
        using var client = new HttpClient { BaseAddress = web };
        var html = await client.GetStringAsync(new Uri("/woningpas", UriKind.Relative));
        string Find(string file) => Regex.Match(html, "\"(" + Regex.Escape(file) + @"\?v=[^""]+)""") is { Success: true } found
            ? found.Groups[1].Value
            : throw new InvalidOperationException($"The passport page links no fingerprinted {file}.");
        string[] scripts = ["/js/passport.js", "/js/passport-documents.js", "/js/passport-reports.js", "/js/passport-sharing.js",
            "/js/passport-access-log.js"];
        return new Assets(Find("/css/site.css"), Find("/css/print.css"), Find("/img/favicon.svg"), [.. scripts.Select(Find)]);
    }

    private static async Task<int> AverageResponseBytesAsync(Uri web, List<string> distinct, List<string> requests)
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { BaseAddress = web };
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var path in distinct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            using var response = await client.SendAsync(request);
            sizes[path] = (await response.Content.ReadAsByteArrayAsync()).LongLength;
        }

        return (int)Math.Round(requests.Average(path => (double)sizes[path]));
    }

    private static Process StartEdge(string root, string run, Uri web, int port, int staticPort, string staticRoot)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "edge", "edge.sh"), "run"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        start.Environment["EDGE_RUN_DIR"] = run;
        start.Environment["EDGE_LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["EDGE_WEB"] = $"{web.Host}:{web.Port}";
        // No Api call in this load: an address that is never dialled.
        start.Environment["EDGE_API"] = "127.0.0.1:9";
        start.Environment["EDGE_ACCESS_LOG"] = "0";
        start.Environment["EDGE_STATIC_LISTEN"] = $"127.0.0.1:{staticPort}";
        start.Environment["EDGE_STATIC_ROOT"] = staticRoot;
        return Process.Start(start) ?? throw new InvalidOperationException("edge.sh did not start.");
    }

    private static async Task StopAsync(Process edge)
    {
        using var kill = Process.Start("kill", ["-TERM", edge.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        await edge.WaitForExitAsync();
    }

    private static async Task WaitForAsync(int port)
    {
        using var client = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/img/favicon.svg"));
                request.Headers.Host = "localhost";
                using var response = await client.SendAsync(request);
                if (response.Headers.Contains("X-Cache-Status"))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The edge did not start within 60 s.");
    }

    private sealed record WrkRun(long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P99Ms);

    private static async Task<WrkRun> WrkAsync(string root, int port, string list, int threads, int connections, string work)
    {
        var script = Path.Combine(root, "bench", "WoningPas.Bench", "edge-mix.lua");
        var times = Path.Combine(work, "times-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("wrk",
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", "1800s", "--latency", "-s", script, $"http://127.0.0.1:{port}", "--",
            list, threads.ToString(CultureInfo.InvariantCulture), times,
        ])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var reading = wrk.StandardOutput.ReadToEndAsync();
        // wrk waits out -d after its threads stopped: end it once every thread wrote its times.
        var files = Enumerable.Range(0, threads).Select(t => $"{times}.{t}").ToList();
        while (!files.All(File.Exists) && !wrk.HasExited)
        {
            await Task.Delay(200);
        }

        await Task.Delay(300);
        using (var interrupt = Process.Start("kill", ["-INT", wrk.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt!.WaitForExitAsync();
        }

        await wrk.WaitForExitAsync();
        var output = await reading;
        var spans = files.Select(f => File.ReadAllText(f).Split(' ')).ToList();
        var first = spans.Min(p => double.Parse(p[0], CultureInfo.InvariantCulture));
        var last = spans.Max(p => double.Parse(p[1], CultureInfo.InvariantCulture));
        var requests = spans.Sum(p => long.Parse(p[2], CultureInfo.InvariantCulture));
        var errors = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        return new WrkRun(requests, errors, requests / (last - first), LatencyMs(output, "50%"), LatencyMs(output, "99%"));
    }

    private static double LatencyMs(string output, string percentile)
    {
        var match = Regex.Match(output, Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\b");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return Math.Round(match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value }, 3);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CountingFilter(Action count) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                count();
                return following(context);
            });
            next(app);
        };
    }
}
