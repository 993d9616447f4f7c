using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WoningPas.Api.Monitoring;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class MonitoringTests : IAsyncLifetime
{
    private readonly CapturingLoggerFactory _logs = new();
    private readonly ApiFactory _api;

    public MonitoringTests() =>
        _api = new ApiFactory
        {
            TestServices = services =>
            {
                services.RemoveAll<ILoggerFactory>();
                services.AddSingleton<ILoggerFactory>(_logs);
            },
        };

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_are_scraped_anonymously_and_include_request_and_access_log_write_latency()
    {
        using var citizen = await _api.SignedInClientAsync("citizen-a");
        Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel)).StatusCode);
        using var scraper = _api.AnonymousClient();

        var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("woningpas_access_log_write_duration_seconds_bucket", body, StringComparison.Ordinal);
        Assert.Contains("woningpas_access_log_batch_size", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_count", body, StringComparison.Ordinal);
        Assert.DoesNotContain("private, no-store", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_logged_as_security_events_with_stable_ids()
    {
        using var anonymous = _api.AnonymousClient();
        using var staff = await _api.SignedInClientAsync("staff-energy");

        // A client-credentials token the provider signed for a client that is not on the allow-list.
        using var unknownClient = _api.AnonymousClient();
        unknownClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            _api.MintMachineToken(Guid.NewGuid(), ["epc.read"], DateTimeOffset.UtcNow.AddMinutes(5)));
        await unknownClient.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);
        await anonymous.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);
        var forbidden = await staff.GetAsync(new Uri("/api/dwellings", UriKind.Relative), Cancel);
        var csrf = await staff.PostAsync(new Uri("/account/logout", UriKind.Relative), null, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, csrf.StatusCode);
        var events = _logs.Entries.Where(e => e.Category == SecurityEvents.Category).ToList();
        Assert.Contains(events, e => e.EventId == 4001 && e.Level == LogLevel.Warning);
        Assert.Contains(events, e => e.EventId == 4006 && e.Message.Contains("/api/dwellings", StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId == 4002 && e.Message.Contains("/api/dwellings", StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId == 4003 && e.Message.Contains("POST /account/logout", StringComparison.Ordinal));
        Assert.Equal([4001, 4002, 4003, 4004, 4005, 4006],
            new[] { SecurityEvents.SignInFailed, SecurityEvents.AuthorisationRefused, SecurityEvents.CsrfRejected,
                SecurityEvents.RateLimited, SecurityEvents.UploadRefused, SecurityEvents.SignInRequired }.Select(e => e.Id));
    }

    [Fact]
    public async Task Traces_are_collected_only_when_a_collector_is_configured()
    {
        await using var withCollector = new ApiFactory
        {
            Settings = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" },
        };
        await withCollector.InitializeAsync();

        Assert.NotNull(withCollector.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(_api.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(_api.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    private sealed record Entry(string Category, int EventId, LogLevel Level, string Message);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new(category, eventId.Id, logLevel, formatter(state, exception)));
        }
    }
}
