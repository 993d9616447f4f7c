namespace WoningPas.Domain;

/// <summary>The renovation obligation of one dwelling, evaluated on a given day.</summary>
/// <param name="Applies">Whether the deed triggered the obligation.</param>
/// <param name="Deadline">The last day to reach the required label; null when the obligation does not apply.</param>
/// <param name="Met">Whether the current label already satisfies the obligation.</param>
/// <param name="Reason">A short machine-oriented code, e.g. "applies" or "deed-before-2023".</param>
/// <param name="Status">Summary of the above for display.</param>
public sealed record RenovationObligationResult(
    bool Applies, DateOnly? Deadline, bool Met, string Reason, RenovationStatus Status);
