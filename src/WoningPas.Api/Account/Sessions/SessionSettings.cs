using System.ComponentModel.DataAnnotations;

namespace WoningPas.Api.Account.Sessions;

/// <summary>How long a session lives (section "Sessions"): an absolute end per kind of user, and an idle timeout.</summary>
public sealed class SessionSettings
{
    public const string SectionName = "Sessions";

    [Range(typeof(TimeSpan), "00:05:00", "12:00:00", ErrorMessage = "Sessions:CitizenLifetime is 5 minutes to 12 hours.")]
    public TimeSpan CitizenLifetime { get; set; } = TimeSpan.FromHours(8);

    [Range(typeof(TimeSpan), "00:05:00", "12:00:00", ErrorMessage = "Sessions:StaffLifetime is 5 minutes to 12 hours.")]
    public TimeSpan StaffLifetime { get; set; } = TimeSpan.FromHours(10);

    [Range(typeof(TimeSpan), "00:02:00", "02:00:00", ErrorMessage = "Sessions:IdleTimeout is 2 minutes to 2 hours.")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
