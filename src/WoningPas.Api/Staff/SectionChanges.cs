namespace WoningPas.Api.Staff;

/// <summary>
/// Removes cached data of a section by tag when it changes. Registered per cache: the branch that adds the data
/// cache registers one that calls its <c>RemoveByTagAsync</c>; tests register one to see what was invalidated.
/// </summary>
public delegate ValueTask SectionCacheInvalidator(IReadOnlyList<string> tags, CancellationToken cancellationToken);

/// <summary>
/// The one call every save of a section makes after its commit, so that every replica's cache drops the section and
/// the citizen sees the new value on the next request.
/// </summary>
public sealed class SectionChanges(IEnumerable<SectionCacheInvalidator> invalidators)
{
    /// <summary>Every cached piece of a dwelling's passport carries this tag.</summary>
    public static string PassportTag(Guid dwellingId) => $"passport:{dwellingId:D}";

    /// <summary>Cached data of one section of one dwelling carries this tag.</summary>
    public static string SectionTag(Guid dwellingId, string section) => $"passport:{dwellingId:D}:{section}";

    public async Task SectionChanged(Guid dwellingId, string section, CancellationToken cancellationToken)
    {
        // A whole passport holds the section too (and derived sections such as the renovation obligation use it).
        string[] tags = [SectionTag(dwellingId, section), PassportTag(dwellingId)];
        foreach (var invalidate in invalidators)
        {
            await invalidate(tags, cancellationToken);
        }
    }
}
