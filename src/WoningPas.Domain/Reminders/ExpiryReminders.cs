using System.Collections.Immutable;

namespace WoningPas.Domain;

/// <summary>The product warns a certificate's holder 90 and 30 days before it expires.</summary>
public static class ExpiryReminders
{
    public static readonly ImmutableArray<int> DaysBefore = [90, 30];

    public static IEnumerable<DateOnly> ReminderDates(DateOnly validUntil) =>
        DaysBefore.Select(days => validUntil.AddDays(-days));

    /// <summary>
    /// The reminder that is due on <paramref name="today"/>: the smallest threshold the remaining days fall within
    /// (90 when 31-90 days are left, 30 when 0-30 are left); null when expiry is further away or already past.
    /// </summary>
    public static int? NextReminderDaysBefore(DateOnly validUntil, DateOnly today)
    {
        var daysLeft = validUntil.DayNumber - today.DayNumber;
        if (daysLeft < 0)
        {
            return null;
        }

        // Min over int? is null for an empty sequence, which is "no reminder due".
        return DaysBefore.Where(days => daysLeft <= days).Select(days => (int?)days).Min();
    }
}
