using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WoningPas.Api.Account;

namespace WoningPas.Api.Staff;

/// <summary>
/// What every back-office page shares: the signed-in editor, field errors keyed by the same names as the JSON API,
/// and the ids that tie an error message to its field (aria-describedby) for screen readers.
/// </summary>
public abstract class StaffPageModel : PageModel
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private static readonly CultureInfo Belgian = CultureInfo.GetCultureInfo("nl-BE");

    public Dictionary<string, string[]> Errors { get; protected set; } = new(StringComparer.Ordinal);

    protected Actor Editor => Actor.From(User)
        ?? throw new InvalidOperationException("An authorised staff session carries no subject.");

    protected string EditorName => User.FindFirst(WoningPasClaims.Name)?.Value ?? "onbekend";

    public static string InputId(string field) => "veld-" + (field.Length == 0 ? "formulier" : field);

    public static string ErrorId(string field) => InputId(field) + "-fout";

    public bool HasError(string field) => Errors.ContainsKey(field);

    public string? ErrorText(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The hint and, when there is one, the error that describe a field.</summary>
    public string DescribedBy(string field, string? hintId = null) =>
        string.Join(' ', new[] { hintId, HasError(field) ? ErrorId(field) : null }.Where(id => id is not null));

    public static string Local(DateTimeOffset moment) =>
        TimeZoneInfo.ConvertTime(moment, Brussels).ToString("d MMMM yyyy HH:mm", Belgian);

    public static string SectionName(string section) => section switch
    {
        "epc" => "Energieprestatiecertificaat (EPC)",
        "renovation" => "Renovatieplicht",
        "asbestos" => "Asbestinventarisattest",
        "soil" => "Bodemattest",
        "flood" => "Overstromingsgevoeligheid",
        "permits" => "Vergunningen",
        "conformity" => "Conformiteitsattest",
        "installations" => "Installaties",
        "documents" => "Documenten",
        _ => section,
    };
}
