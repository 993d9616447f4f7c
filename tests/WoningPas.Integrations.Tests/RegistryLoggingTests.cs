using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WoningPas.Integrations.FloodScores;

namespace WoningPas.Integrations.Tests;

/// <summary>
/// A registry call logs no URL: it names the parcel asked about. The HttpClient factory's handlers would log it twice
/// per call at Information; the registry clients have none.
/// </summary>
public sealed class RegistryLoggingTests
{
    [Fact]
    public async Task A_registry_call_logs_neither_its_url_nor_the_parcel_even_at_information()
    {
        await using var clients = await RegistryClients.StartAsync();
        using var capture = new CapturingProvider();
        clients.Get<ILoggerFactory>().AddProvider(capture);

        await clients.Get<FloodScoresClient>().GetAsync("44021A0123/00B000", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(capture.Lines, line => line.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, line => line.Contains("44021A0123", StringComparison.Ordinal));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}
