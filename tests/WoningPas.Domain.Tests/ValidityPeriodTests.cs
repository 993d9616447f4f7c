using static WoningPas.Domain.Tests.Dates;

namespace WoningPas.Domain.Tests;

public class ValidityPeriodTests
{
    [Fact]
    public void A_period_cannot_end_before_it_starts()
    {
        Assert.Throws<ArgumentException>(() => new ValidityPeriod(Iso("2025-01-02"), Iso("2025-01-01")));
    }

    [Theory]
    [InlineData("2024-12-31", false)]
    [InlineData("2025-01-01", true)]
    [InlineData("2025-06-15", true)]
    [InlineData("2034-12-31", true)]
    [InlineData("2035-01-01", false)]
    public void Contains_both_the_first_and_the_last_day(string day, bool expected)
    {
        var period = new ValidityPeriod(Iso("2025-01-01"), Iso("2034-12-31"));
        Assert.Equal(expected, period.Contains(Iso(day)));
    }

    [Fact]
    public void A_single_day_period_contains_that_day()
    {
        var day = Iso("2025-03-01");
        Assert.True(new ValidityPeriod(day, day).Contains(day));
    }
}
