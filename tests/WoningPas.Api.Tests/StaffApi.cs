namespace WoningPas.Api.Tests;

/// <summary>Every staff API call says why, as the pages do: the tests' calls carry one purpose.</summary>
internal static class StaffApi
{
    public const string Purpose = "Dossier EPC-2026/0042";

    public static string WithPurpose(string path) =>
        path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "purpose=" + Uri.EscapeDataString(Purpose);

    public static Uri WithPurpose(Uri path) => new(WithPurpose(path.OriginalString), UriKind.Relative);
}
