using System.Globalization;

namespace WoningPas.Domain.Tests;

/// <summary>Attributes cannot hold a DateOnly, so theories pass ISO dates as text.</summary>
internal static class Dates
{
    public static DateOnly Iso(string yyyyMmDd) =>
        DateOnly.ParseExact(yyyyMmDd, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
