using WoningPas.Api.Documents;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>Runs the inspection on bytes the way the pipeline does: from a file, with the default budget unless given.</summary>
internal static class PdfInspector
{
    public static PdfInspectionLimits Defaults { get; } = PdfInspectionLimits.From(new DocumentOptions());

    public static async Task<PdfInspection> InspectAsync(byte[] pdf, PdfInspectionLimits? limits = null)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, pdf, TestContext.Current.CancellationToken);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 4096, FileOptions.Asynchronous);
            return await PdfActiveContent.InspectAsync(file, limits ?? Defaults, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
