namespace WoningPas.Api.Infrastructure;

/// <summary>
/// "Today" for rights and certificate validity is a Belgian calendar day, whatever time zone the server runs in.
/// </summary>
public static class BelgianCalendar
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static DateOnly Today(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Brussels).DateTime);
    }
}
