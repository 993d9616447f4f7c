using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;

namespace WoningPas.Api.Passport;

/// <summary>
/// Keeps one connection listening on <see cref="PassportChanges.Channel"/> and hands every announcement to the
/// <see cref="PassportCache"/>. When the connection breaks the cache stops serving at once, and the listener tries again
/// after a pause that grows to <see cref="MaxPause"/>; once listening again the cache starts empty.
/// </summary>
public sealed partial class PassportChangeListener(PassportCache cache, IOptions<DatabaseSettings> database,
    IOptions<PassportCacheSettings> settings, TimeProvider time, ILogger<PassportChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled)
        {
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(database.Value.WoningPas)
        {
            // Its own connection for as long as it lives, not one of the pool's; the keepalive notices a dead server
            // on an otherwise silent connection.
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "woningpas-passport-changes",
        }.ConnectionString;
        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => cache.Changed(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PassportChanges.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Listening(true);
                LogListening(logger);
                pause = FirstPause;
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
                cache.Listening(false);
                LogLost(logger, exception.GetType().Name, pause.TotalSeconds);
                await Task.Delay(pause, time, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }

        cache.Listening(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Passport cache: listening for changes")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Passport cache: change announcements lost ({Failure}); reading from the database, listening again in {Seconds} s")]
    private static partial void LogLost(ILogger logger, string failure, double seconds);
}

public static class PassportCacheRegistration
{
    public static IServiceCollection AddPassportCache(this IServiceCollection services)
    {
        services.AddOptions<PassportCacheSettings>().BindConfiguration(PassportCacheSettings.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PassportCache>();
        services.AddHostedService<PassportChangeListener>();
        return services;
    }
}
