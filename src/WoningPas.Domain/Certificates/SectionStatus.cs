namespace WoningPas.Domain;

/// <summary>The state of a passport section's certificate on a given day.</summary>
public enum SectionStatus
{
    Valid,
    Expiring,
    Expired,
    Missing,
    NotRequired,

    /// <summary>The section lives at a registry that cannot answer now and nothing of it is cached.</summary>
    Unavailable,
}
