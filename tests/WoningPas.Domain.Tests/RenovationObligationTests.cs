using static WoningPas.Domain.Tests.Dates;

namespace WoningPas.Domain.Tests;

// DOMAIN.md: for a deed signed from 1 Jan 2023 of a residential building with label E or F: reach label D (or better)
// within 5 years of the deed date.
public class RenovationObligationTests
{
    private static readonly DateOnly Today = Iso("2025-06-01");

    [Theory]
    [InlineData("2023-01-01", EnergyLabel.E, "2028-01-01")]
    [InlineData("2024-07-15", EnergyLabel.F, "2029-07-15")]
    [InlineData("2024-02-29", EnergyLabel.F, "2029-02-28")]
    public void Applies_to_a_residential_E_or_F_deed_from_2023_with_a_deadline_5_years_after_the_deed(string deedDate,
        EnergyLabel labelAtDeed, string deadline)
    {
        var result = RenovationObligation.Evaluate(Iso(deedDate), isResidential: true, labelAtDeed,
            currentLabel: labelAtDeed, Today);

        Assert.True(result.Applies);
        Assert.Equal("applies", result.Reason);
        Assert.Equal(Iso(deadline), result.Deadline);
        Assert.False(result.Met);
        Assert.Equal(RenovationStatus.Pending, result.Status);
    }

    [Fact]
    public void Does_not_apply_to_a_deed_signed_before_2023()
    {
        var result = RenovationObligation.Evaluate(Iso("2022-12-31"), true, EnergyLabel.F, EnergyLabel.F, Today);
        AssertNotApplicable(result, "deed-before-2023");
    }

    [Fact]
    public void Does_not_apply_without_a_deed()
    {
        var result = RenovationObligation.Evaluate(null, true, EnergyLabel.F, EnergyLabel.F, Today);
        AssertNotApplicable(result, "no-deed");
    }

    [Fact]
    public void Does_not_apply_to_a_building_that_is_not_residential()
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), false, EnergyLabel.F, EnergyLabel.F, Today);
        AssertNotApplicable(result, "not-residential");
    }

    [Fact]
    public void Does_not_apply_when_no_label_was_known_at_the_deed()
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), true, null, EnergyLabel.F, Today);
        AssertNotApplicable(result, "no-label");
    }

    [Theory]
    [InlineData(EnergyLabel.D)]
    [InlineData(EnergyLabel.APlus)]
    public void Does_not_apply_to_a_label_better_than_E_at_the_deed(EnergyLabel labelAtDeed)
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), true, labelAtDeed, labelAtDeed, Today);
        AssertNotApplicable(result, "label-better-than-E");
    }

    [Theory]
    [InlineData(EnergyLabel.D, true)]
    [InlineData(EnergyLabel.A, true)]
    [InlineData(EnergyLabel.E, false)]
    [InlineData(null, false)]
    public void Is_met_once_the_current_label_is_D_or_better(EnergyLabel? currentLabel, bool met)
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), true, EnergyLabel.F, currentLabel, Today);

        Assert.Equal(met, result.Met);
        Assert.Equal(met ? RenovationStatus.Met : RenovationStatus.Pending, result.Status);
    }

    [Theory]
    [InlineData("2028-06-01", RenovationStatus.Pending)] // the deadline day itself
    [InlineData("2028-06-02", RenovationStatus.Overdue)]
    public void Is_overdue_from_the_day_after_the_deadline(string today, RenovationStatus expected)
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), true, EnergyLabel.E, EnergyLabel.E, Iso(today));
        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void Reaching_D_after_the_deadline_still_meets_the_obligation()
    {
        var result = RenovationObligation.Evaluate(Iso("2023-06-01"), true, EnergyLabel.F, EnergyLabel.C,
            Iso("2030-01-01"));
        Assert.Equal(RenovationStatus.Met, result.Status);
    }

    private static void AssertNotApplicable(RenovationObligationResult result, string reason)
    {
        Assert.False(result.Applies);
        Assert.Equal(reason, result.Reason);
        Assert.Null(result.Deadline);
        Assert.Equal(RenovationStatus.NotApplicable, result.Status);
    }
}
