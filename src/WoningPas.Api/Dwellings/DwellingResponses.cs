using System.Text.Json.Serialization;
using WoningPas.Data.Dwellings;
using WoningPas.Domain;

namespace WoningPas.Api.Dwellings;

public sealed record DwellingListResponse(IReadOnlyList<DwellingSummary> Dwellings);

public sealed record DwellingSummary(Guid Id, string Address, RealRightKind Right);

public sealed record PassportResponse(Guid DwellingId, AddressSection Address, ParcelSection Parcel, EpcSection? Epc);

public sealed record AddressSection(string Street, string HouseNumber, string? BoxNumber, string PostalCode,
    string Municipality, string Label);

public sealed record ParcelSection([property: JsonPropertyName("capaKey")] string CaPaKey);

public sealed record EpcSection(string Label, decimal PrimaryEnergyUse, DateOnly IssuedOn, DateOnly ValidUntil,
    SectionStatus Status, string CertificateNumber);
