namespace WoningPas.Domain;

/// <summary>
/// Whoever acquires a residential building with label E or F by a deed signed from 1 January 2023 on must bring it
/// to label D or better within 5 years of the deed date.
/// </summary>
public static class RenovationObligation
{
    private static readonly DateOnly AppliesToDeedsFrom = new(2023, 1, 1);
    private const int YearsToRenovate = 5;
    private const EnergyLabel RequiredLabel = EnergyLabel.D;

    public static RenovationObligationResult Evaluate(DateOnly? deedDate, bool isResidential,
        EnergyLabel? labelAtDeed, EnergyLabel? currentLabel, DateOnly today)
    {
        if (deedDate is not { } deed)
        {
            return NotApplicable("no-deed");
        }

        if (deed < AppliesToDeedsFrom)
        {
            return NotApplicable("deed-before-2023");
        }

        if (!isResidential)
        {
            return NotApplicable("not-residential");
        }

        if (labelAtDeed is not { } label)
        {
            return NotApplicable("no-label");
        }

        if (label.IsAtLeast(RequiredLabel))
        {
            return NotApplicable("label-better-than-E");
        }

        var deadline = deed.AddYears(YearsToRenovate);
        var met = currentLabel?.IsAtLeast(RequiredLabel) == true;
        var status = met ? RenovationStatus.Met
            : today <= deadline ? RenovationStatus.Pending
            : RenovationStatus.Overdue;
        return new RenovationObligationResult(Applies: true, deadline, met, "applies", status);
    }

    private static RenovationObligationResult NotApplicable(string reason) =>
        new(Applies: false, Deadline: null, Met: false, reason, RenovationStatus.NotApplicable);
}
