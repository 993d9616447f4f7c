using WoningPas.Api.Passport;
using WoningPas.Integrations;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.FloodScores;
using WoningPas.Integrations.Permits;

namespace WoningPas.Api.Registries;

/// <summary>One parcel's answer from a registry, as the cache gave it.</summary>
public sealed record ParcelRead<T>(string CapaKey, RegistryRead<T> Read);

/// <summary>The registry-held sections of one passport, one read per parcel.</summary>
public sealed record RegistryAnswers(IReadOnlyList<ParcelRead<FloodScoresAnswer>> Flood,
    IReadOnlyList<ParcelRead<PermitsAnswer>> Permits);

/// <summary>
/// The passport sections that live at a registry, fetched through the cached, rate-limited clients (pull model):
/// flood scores (environment department) and permits (permit register), per parcel of the dwelling. The other
/// sections stay in the database. Only ever called after the request was authorised and access-logged; a registry
/// that fails never fails the passport: its section comes back stale or unavailable.
/// </summary>
public sealed class PassportRegistries(FloodScoresClient flood, PermitsClient permits)
{
    /// <summary>The sections this service fills, by their URL name.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["flood", "permits"];

    /// <summary>
    /// Reads the registry sections the caller may see and asked for, parcels and registries in parallel: a registry
    /// whose section is not wanted is not called at all.
    /// </summary>
    public async Task<RegistryAnswers> ReadAsync(PassportRow row, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(wanted);
        var capaKeys = row.Parcels.Select(p => p.CaPaKey).ToList();
        var floodReads = wanted("flood")
            ? capaKeys.Select(async key => new ParcelRead<FloodScoresAnswer>(key,
                await flood.ReadAsync(key, row.DwellingId, cancellationToken))).ToList()
            : [];
        var permitReads = wanted("permits")
            ? capaKeys.Select(async key => new ParcelRead<PermitsAnswer>(key,
                await permits.ReadAsync(key, row.DwellingId, cancellationToken))).ToList()
            : [];
        return new RegistryAnswers(await Task.WhenAll(floodReads), await Task.WhenAll(permitReads));
    }
}

public static class PassportRegistriesRegistration
{
    /// <summary>
    /// The registry clients, their cache and the passport's use of them. With <c>ConnectionStrings:Redis</c> set
    /// (several replicas), the cache's second level and its invalidation go through Redis.
    /// </summary>
    public static IServiceCollection AddPassportRegistries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRegistries();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            services.AddRegistryCacheRedis(redis);
        }

        services.AddScoped<PassportRegistries>();
        return services;
    }
}
