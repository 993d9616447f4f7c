using static WoningPas.Domain.Tests.Dates;

namespace WoningPas.Domain.Tests;

public class ExpiryRemindersTests
{
    [Fact]
    public void Holders_are_reminded_90_and_30_days_before_expiry()
    {
        // DOMAIN.md: the product warns a holder 90 and 30 days before expiry.
        Assert.Equal([90, 30], ExpiryReminders.DaysBefore);
        Assert.Equal([Iso("2030-04-01"), Iso("2030-05-31")], ExpiryReminders.ReminderDates(Iso("2030-06-30")));
    }

    [Theory]
    [InlineData(365, null)]
    [InlineData(91, null)]
    [InlineData(90, 90)]
    [InlineData(31, 90)]
    [InlineData(30, 30)]
    [InlineData(1, 30)]
    [InlineData(0, 30)] // the last valid day
    [InlineData(-1, null)] // expired: no more reminders
    public void The_reminder_due_is_the_tightest_threshold_the_days_left_fall_within(int daysLeft, int? expected)
    {
        // DOMAIN.md: the product warns a holder 90 and 30 days before expiry.
        var validUntil = Iso("2030-06-30");
        Assert.Equal(expected, ExpiryReminders.NextReminderDaysBefore(validUntil, validUntil.AddDays(-daysLeft)));
    }
}
