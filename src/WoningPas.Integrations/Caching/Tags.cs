namespace WoningPas.Integrations.Caching;

/// <summary>
/// Tags of a parcel's answer: the parcel, and the dwelling whose passport asked for it. Apartments share parcels, so
/// invalidating a dwelling also means invalidating its parcels (the caller knows them).
/// </summary>
internal static class Tags
{
    public static IEnumerable<string> For(string capaKey, Guid? dwellingId) => dwellingId is { } id
        ? [RegistryCache.ParcelTag(capaKey), RegistryCache.DwellingTag(id)]
        : [RegistryCache.ParcelTag(capaKey)];

    public static IEnumerable<string> For(Guid dwellingId) => [RegistryCache.DwellingTag(dwellingId)];
}
