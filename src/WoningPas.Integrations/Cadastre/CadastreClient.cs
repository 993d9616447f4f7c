using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Cadastre;

/// <summary>Real rights on a parcel. Holders are the cadastre's opaque person references, never a national register number.</summary>
[ImmutableObject(true)]
public sealed record RightsAnswer(string CapaKey, IReadOnlyList<RightAnswer> Rights, DateTimeOffset UpdatedAt);

public sealed record RightAnswer(string HolderReference, string Kind, int ShareNumerator, int ShareDenominator, DateOnly Since);

public sealed class CadastreClient(HttpClient http, RegistryCache cache)
{
    public async Task<RightsAnswer> GetAsync(string capaKey, CancellationToken cancellationToken) =>
        (await RegistryHttp.GetAsync<RightsAnswer>(http, $"cadastre/v1/parcels/{RegistryNames.PathCaPaKey(capaKey)}/rights",
            notFoundIsNone: false, cancellationToken))!;

    public Task<RegistryRead<RightsAnswer>> ReadAsync(string capaKey, Guid? dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Cadastre, capaKey, Tags.For(capaKey, dwellingId), token => GetAsync(capaKey, token), cancellationToken);
}
