using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace WoningPas.Integrations.Caching;

/// <summary>
/// Tells the other replicas about a tag invalidation, over Redis pub/sub. HybridCache keeps a first level in each
/// process that the shared second level (Redis) cannot reach; without this, a replica would serve its own copy until
/// the copy expires. Each replica removes the tag from its own cache when the message arrives (well within a second
/// on one site). Without Redis (one replica) publishing does nothing.
/// </summary>
public sealed partial class CacheInvalidationBus(IServiceProvider services, ILogger<CacheInvalidationBus> logger) : IHostedService
{
    public const string Channel = "woningpas:registry-cache:invalidate";

    /// <summary>This process's messages come back to it too; the prefix lets it skip its own.</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");

    private ISubscriber? _subscriber;

    public async Task PublishAsync(string tag)
    {
        if (_subscriber is not null)
        {
            await _subscriber.PublishAsync(RedisChannel.Literal(Channel), _origin + " " + tag);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return;
        }

        var cache = services.GetRequiredService<RegistryCache>();
        _subscriber = redis.GetSubscriber();
        var queue = await _subscriber.SubscribeAsync(RedisChannel.Literal(Channel));
        queue.OnMessage(async message =>
        {
            var text = message.Message.ToString();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || text.AsSpan(0, space).SequenceEqual(_origin))
            {
                return;
            }

            var tag = text[(space + 1)..];
            LogInvalidated(logger, tag);
            await cache.InvalidateLocallyAsync(tag, CancellationToken.None);
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscriber is not null)
        {
            await _subscriber.UnsubscribeAsync(RedisChannel.Literal(Channel));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another replica invalidated cache tag {Tag}")]
    private static partial void LogInvalidated(ILogger logger, string tag);
}
