using System.Net;
using WoningPas.DevHost;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The per-user limit across two Api instances: one shared window in a real redis-server, or each instance's share
/// when there is no Redis or it does not answer.
/// </summary>
public sealed class ClusterRateLimitTests
{
    private const int Budget = 10;
    private static readonly Uri Dwellings = new("/api/dwellings", UriKind.Relative);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_sharing_redis_allow_the_user_budget_once_between_them()
    {
        await using var redis = await LocalRedis.StartAsync(
            Path.Combine(Path.GetTempPath(), "woningpas-redis-" + Guid.NewGuid().ToString("N")[..8]), Cancel);
        await using var first = await InstanceAsync(redis.Configuration);
        await using var second = await InstanceAsync(redis.Configuration);
        using var onFirst = await first.SignedInClientAsync("citizen-a");
        using var onSecond = await second.SignedInClientAsync("citizen-a");

        var (firstAllowed, firstRefused) = await SpendAsync(onFirst, 8);
        var (secondAllowed, secondRefused) = await SpendAsync(onSecond, 8);
        var (againAllowed, _) = await SpendAsync(onFirst, 2);

        // Together exactly the budget: 8 on the first, the 2 left on the second, none afterwards on either.
        Assert.Equal((8, 0), (firstAllowed, firstRefused));
        Assert.Equal((Budget - 8, 8 - (Budget - 8)), (secondAllowed, secondRefused));
        Assert.Equal(0, againAllowed);
        // Another user has a budget of their own.
        using var other = await second.SignedInClientAsync("citizen-b");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Dwellings, Cancel)).StatusCode);
        var refused = await onSecond.GetAsync(Dwellings, Cancel);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task Without_redis_each_of_two_instances_allows_half_the_budget()
    {
        await using var first = await InstanceAsync(null);
        await using var second = await InstanceAsync(null);
        using var onFirst = await first.SignedInClientAsync("citizen-a");
        using var onSecond = await second.SignedInClientAsync("citizen-a");

        var firstSpent = await SpendAsync(onFirst, Budget);
        var secondSpent = await SpendAsync(onSecond, Budget);

        Assert.Equal((Budget / 2, Budget / 2), firstSpent);
        Assert.Equal((Budget / 2, Budget / 2), secondSpent);
    }

    [Fact]
    public async Task With_redis_gone_an_instance_falls_back_to_its_share_neither_open_nor_closed()
    {
        var redis = await LocalRedis.StartAsync(
            Path.Combine(Path.GetTempPath(), "woningpas-redis-" + Guid.NewGuid().ToString("N")[..8]), Cancel);
        await using var first = await InstanceAsync(redis.Configuration);
        using var client = await first.SignedInClientAsync("citizen-a");
        Assert.Equal((1, 0), await SpendAsync(client, 1));

        // Redis stops answering while the Api runs.
        await redis.DisposeAsync();
        var spent = await SpendAsync(client, Budget);

        Assert.Equal((Budget / 2, Budget / 2), spent);
    }

    private static async Task<ApiFactory> InstanceAsync(string? redis)
    {
        var api = new ApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["RateLimits:PerUserPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RateLimits:Replicas"] = "2",
                ["ConnectionStrings:Redis"] = redis,
                // A slow answer from a live Redis on a loaded test machine must not count as Redis being down; the
                // stopped-Redis test refuses connections at once, whatever this is.
                ["RateLimits:RedisTimeout"] = "00:00:05",
            },
        };
        await api.InitializeAsync();
        return api;
    }

    private static async Task<(int Allowed, int Refused)> SpendAsync(HttpClient client, int requests)
    {
        var allowed = 0;
        var refused = 0;
        for (var i = 0; i < requests; i++)
        {
            var status = (await client.GetAsync(Dwellings, Cancel)).StatusCode;
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"answered {status}");
            if (status == HttpStatusCode.OK)
            {
                allowed++;
            }
            else
            {
                refused++;
            }
        }

        return (allowed, refused);
    }
}
