using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WoningPas.Integrations.AddressRegister;
using WoningPas.Integrations.Cadastre;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.EnergyCertificates;
using WoningPas.Integrations.FloodScores;
using WoningPas.Integrations.Permits;
using WoningPas.Integrations.Registries;
using WoningPas.Integrations.Resilience;
using WoningPas.Integrations.WasteAgency;

namespace WoningPas.Integrations;

public static class IntegrationsRegistration
{
    /// <summary>
    /// Every registry client with its options (section <c>Registries:{Name}</c>, validated at start), its resilience
    /// pipeline, the process-wide rate limiters and the data cache. A second level for the cache (Redis) is added by
    /// registering an <c>IDistributedCache</c>; HybridCache picks it up.
    /// </summary>
    public static IServiceCollection AddRegistries(this IServiceCollection services)
    {
        services.AddOptions<RegistriesOptions>().BindConfiguration(RegistriesOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RegistryRateLimiters>();
        services.AddHybridCache(options =>
        {
            // Registry answers are small; a big one is a mistake worth failing loudly on rather than caching.
            options.MaximumPayloadBytes = 1 << 20;
        });
        services.AddSingleton<RegistryCache>();
        services.AddSingleton<CacheInvalidationBus>();
        services.AddHostedService(provider => provider.GetRequiredService<CacheInvalidationBus>());

        services.AddRegistryClient<AddressRegisterClient>(RegistryNames.Address);
        services.AddRegistryClient<EnergyCertificatesClient>(RegistryNames.Energy);
        services.AddRegistryClient<WasteAgencyClient>(RegistryNames.Waste);
        services.AddRegistryClient<FloodScoresClient>(RegistryNames.Flood);
        services.AddRegistryClient<PermitsClient>(RegistryNames.Permits);
        services.AddRegistryClient<CadastreClient>(RegistryNames.Cadastre);
        return services;
    }

    /// <summary>
    /// Several replicas: Redis becomes the cache's second level (HybridCache uses any registered IDistributedCache) and
    /// carries tag invalidations between replicas. One connection serves both.
    /// </summary>
    public static IServiceCollection AddRegistryCacheRedis(this IServiceCollection services, string configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        services.AddStackExchangeRedisCache(options => options.InstanceName = "woningpas:");
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, provider) =>
            options.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()));
        return services;
    }
}
