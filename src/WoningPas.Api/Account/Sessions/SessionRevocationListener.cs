using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Api.Infrastructure;

namespace WoningPas.Api.Account.Sessions;

/// <summary>
/// Listens on <see cref="SessionStore.Channel"/> and drops each announced session from this replica's cache, so a
/// sign-out on one replica is refused on every other at once. While the connection is down the store asks the
/// database on every request instead of trusting its cache.
/// </summary>
public sealed partial class SessionRevocationListener(SessionStore store, IOptions<DatabaseSettings> database,
    ILogger<SessionRevocationListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.Value.WoningPas)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "woningpas-session-revocations",
        }.ConnectionString;
        var pause = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => store.Forget(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {SessionStore.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                store.Listening = true;
                pause = TimeSpan.FromMilliseconds(250);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                store.Listening = false;
                LogLost(logger, exception.GetType().Name, pause.TotalSeconds);
                await Task.Delay(pause, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }

        store.Listening = false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session revocations: listening stopped ({Error}); sessions are read from the database until it is back, next try in {Seconds} s")]
    private static partial void LogLost(ILogger logger, string error, double seconds);
}
