using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Permits;

/// <summary>The permits on a parcel, newest first, as the permit register holds them.</summary>
[ImmutableObject(true)]
public sealed record PermitsAnswer(string CapaKey, IReadOnlyList<PermitAnswer> Permits);

/// <summary>One permit; kind (building, environment, subdivision) and decision (granted, refused, pending) as the register writes them.</summary>
public sealed record PermitAnswer(string Reference, string Kind, string Description, DateOnly SubmittedOn,
    DateOnly? DecidedOn, string Decision, DateTimeOffset UpdatedAt);

public sealed class PermitsClient(HttpClient http, RegistryCache cache)
{
    public async Task<PermitsAnswer> GetAsync(string capaKey, CancellationToken cancellationToken) =>
        (await RegistryHttp.GetAsync<PermitsAnswer>(http, $"permits/v1/parcels/{RegistryNames.PathCaPaKey(capaKey)}/permits",
            notFoundIsNone: false, cancellationToken))!;

    public Task<RegistryRead<PermitsAnswer>> ReadAsync(string capaKey, Guid? dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Permits, capaKey, Tags.For(capaKey, dwellingId), token => GetAsync(capaKey, token), cancellationToken);
}
