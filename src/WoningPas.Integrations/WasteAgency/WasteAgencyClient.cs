using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.EnergyCertificates;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.WasteAgency;

[ImmutableObject(true)]
public sealed record SoilCertificateAnswer(string CapaKey, string Reference, DateOnly IssuedOn,
    bool InLandInformationRegister, DateTimeOffset UpdatedAt);

[ImmutableObject(true)]
public sealed record AsbestosCertificateAnswer(Guid DwellingId, string Reference, DateOnly IssuedOn,
    bool HasHighRiskMaterials, DateTimeOffset UpdatedAt);

/// <summary>The waste agency: soil certificates per parcel, asbestos inventory certificates per dwelling.</summary>
public sealed class WasteAgencyClient(HttpClient http, RegistryCache cache)
{
    public async Task<SoilCertificateAnswer> GetSoilAsync(string capaKey, CancellationToken cancellationToken) =>
        (await RegistryHttp.GetAsync<SoilCertificateAnswer>(http,
            $"waste/v1/parcels/{RegistryNames.PathCaPaKey(capaKey)}/soil-certificate", notFoundIsNone: false, cancellationToken))!;

    public Task<AsbestosCertificateAnswer?> GetAsbestosAsync(Guid dwellingId, CancellationToken cancellationToken) =>
        RegistryHttp.GetAsync<AsbestosCertificateAnswer>(http, $"waste/v1/dwellings/{dwellingId:D}/asbestos-certificate",
            notFoundIsNone: true, cancellationToken);

    public Task<RegistryRead<SoilCertificateAnswer>> ReadSoilAsync(string capaKey, Guid? dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Waste, "soil:" + capaKey, Tags.For(capaKey, dwellingId),
            token => GetSoilAsync(capaKey, token), cancellationToken);

    public Task<RegistryRead<Maybe<AsbestosCertificateAnswer>>> ReadAsbestosAsync(Guid dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Waste, "asbestos:" + dwellingId.ToString("N"), Tags.For(dwellingId),
            async token => new Maybe<AsbestosCertificateAnswer>(await GetAsbestosAsync(dwellingId, token)), cancellationToken);
}
