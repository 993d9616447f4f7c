using System.ComponentModel;

namespace WoningPas.Integrations.Caching;

/// <summary>How current a registry answer is.</summary>
public enum Freshness
{
    /// <summary>Within the registry's TTL: from the registry itself or from the cache.</summary>
    Fresh,

    /// <summary>The registry failed, was over capacity or its breaker was open: the last good answer, with its age.</summary>
    Stale,

    /// <summary>The registry failed and nothing was cached: no answer.</summary>
    Unavailable,
}

/// <summary>What the cache keeps: the answer and when the registry gave it.</summary>
[ImmutableObject(true)]
public sealed record CachedAnswer<T>(T Value, DateTimeOffset RetrievedAt);

/// <summary>A registry answer as the passport gets it: the value (absent when unavailable), its freshness and age.</summary>
public sealed record RegistryRead<T>(Freshness Freshness, T? Value, DateTimeOffset? RetrievedAt, TimeSpan? Age)
{
    public static RegistryRead<T> Unavailable { get; } = new(Freshness.Unavailable, default, null, null);
}
