using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.FloodScores;

/// <summary>The environment department's flood scores of a parcel: P-score (parcel) and G-score (building), A–D.</summary>
[ImmutableObject(true)]
public sealed record FloodScoresAnswer(string CapaKey, string ParcelScore, string? BuildingScore, string Reference,
    DateTimeOffset UpdatedAt);

/// <summary>Typed client of the flood scores registry; <see cref="ReadAsync"/> goes through the data cache.</summary>
public sealed class FloodScoresClient(HttpClient http, RegistryCache cache)
{
    public async Task<FloodScoresAnswer> GetAsync(string capaKey, CancellationToken cancellationToken) =>
        (await RegistryHttp.GetAsync<FloodScoresAnswer>(http, $"flood/v1/parcels/{RegistryNames.PathCaPaKey(capaKey)}/scores",
            notFoundIsNone: false, cancellationToken))!;

    public Task<RegistryRead<FloodScoresAnswer>> ReadAsync(string capaKey, Guid? dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Flood, capaKey, Tags.For(capaKey, dwellingId), token => GetAsync(capaKey, token), cancellationToken);
}
