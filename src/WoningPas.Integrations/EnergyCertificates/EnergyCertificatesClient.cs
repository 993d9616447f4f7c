using System.ComponentModel;
using WoningPas.Integrations.Caching;

namespace WoningPas.Integrations.EnergyCertificates;

/// <summary>The newest energy performance certificate of a dwelling in the energy agency's database.</summary>
[ImmutableObject(true)]
public sealed record EnergyCertificateAnswer(Guid DwellingId, string Reference, decimal PrimaryEnergyUse,
    DateOnly IssuedOn, DateTimeOffset UpdatedAt);

/// <summary>A lookup that may legitimately find nothing: "no certificate" is an answer worth caching, a failure is not.</summary>
[ImmutableObject(true)]
public sealed record Maybe<T>(T? Value)
    where T : class;

public sealed class EnergyCertificatesClient(HttpClient http, RegistryCache cache)
{
    public Task<EnergyCertificateAnswer?> GetAsync(Guid dwellingId, CancellationToken cancellationToken) =>
        Registries.RegistryHttp.GetAsync<EnergyCertificateAnswer>(http, $"energy/v1/dwellings/{dwellingId:D}/certificate",
            notFoundIsNone: true, cancellationToken);

    public Task<RegistryRead<Maybe<EnergyCertificateAnswer>>> ReadAsync(Guid dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(Registries.RegistryNames.Energy, dwellingId.ToString("N"), Tags.For(dwellingId),
            async token => new Maybe<EnergyCertificateAnswer>(await GetAsync(dwellingId, token)), cancellationToken);
}
