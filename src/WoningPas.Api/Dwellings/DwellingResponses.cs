using WoningPas.Data.Dwellings;

namespace WoningPas.Api.Dwellings;

public sealed record DwellingListResponse(IReadOnlyList<DwellingSummary> Dwellings);

public sealed record DwellingSummary(Guid Id, string Address, RealRightKind Right);
