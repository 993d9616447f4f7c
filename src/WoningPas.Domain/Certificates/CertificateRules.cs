namespace WoningPas.Domain;

/// <summary>
/// Validity and obligations of the passport's certificates. A "valid until" day is the last day on which the
/// certificate is still valid. Adding years to 29 February lands on 28 February, the earlier of the two candidates,
/// so a certificate never looks valid for a day longer than it is.
/// </summary>
public static class CertificateRules
{
    private static readonly DateOnly AsbestosCertificateAtSaleSince = new(2022, 11, 23);

    public static DateOnly EpcValidUntil(DateOnly issuedOn) => issuedOn.AddYears(10);

    public static DateOnly AsbestosValidUntil(DateOnly issuedOn, bool hasHighRiskNonAsbestosSafeMaterials) =>
        issuedOn.AddYears(hasHighRiskNonAsbestosSafeMaterials ? 5 : 10);

    public static bool AsbestosCertificateRequiredAtSale(int constructionYear, DateOnly saleDate) =>
        constructionYear < 2001 && saleDate >= AsbestosCertificateAtSaleSince;

    public static DateOnly ConformityValidUntil(DateOnly issuedOn, bool issuedAfterQualityInvestigationWithDefects) =>
        issuedOn.AddYears(issuedAfterQualityInvestigationWithDefects ? 5 : 10);

    public static SectionStatus StatusOn(DateOnly? validUntil, DateOnly today, bool required = true)
    {
        if (validUntil is not { } until)
        {
            return required ? SectionStatus.Missing : SectionStatus.NotRequired;
        }

        if (today > until)
        {
            return SectionStatus.Expired;
        }

        // Expiring is exactly the window in which the holder receives expiry reminders.
        return ExpiryReminders.NextReminderDaysBefore(until, today) is null
            ? SectionStatus.Valid
            : SectionStatus.Expiring;
    }
}
