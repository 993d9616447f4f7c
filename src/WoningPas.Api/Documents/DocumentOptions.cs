using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WoningPas.Api.Documents;

/// <summary>Limits and the virus scanner for uploaded documents, section <c>Documents</c>; checked at start.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>Largest accepted document. Plans and invoices fit; a larger body is refused with 413 while it streams.</summary>
    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "Documents:MaxBytes must be between 1 KiB and 100 MiB.")]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// How large a PDF may be once every stream is decoded (qpdf's JSON of it, streams in base64, is what is counted);
    /// a PDF that decodes to more is refused rather than inspected partly (a decompression bomb, or too much to check).
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024, ErrorMessage = "Documents:MaxInflatedBytes must be between 1 KiB and 1 GiB.")]
    public long MaxInflatedBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>
    /// Wall-clock time for inspecting one PDF, and qpdf's CPU time limit; past it the PDF is refused as too complex.
    /// A 10 MiB document takes well under a second (docs/decisions/0015-pdf-inspection-with-qpdf.md).
    /// </summary>
    [Range(1, 300, ErrorMessage = "Documents:PdfInspectionSeconds must be between 1 and 300.")]
    public int PdfInspectionSeconds { get; set; } = 10;

    /// <summary>
    /// Address space qpdf may use while inspecting one PDF (RLIMIT_AS); it streams decoded data, so a normal document
    /// needs a few MiB. A PDF that needs more is refused; the Api's own memory is never at stake.
    /// </summary>
    [Range(32L * 1024 * 1024, 8L * 1024 * 1024 * 1024,
        ErrorMessage = "Documents:PdfInspectionMemoryBytes must be between 32 MiB and 8 GiB.")]
    public long PdfInspectionMemoryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>The qpdf program (Debian package qpdf): a name looked up on PATH, or an absolute path.</summary>
    [Required(ErrorMessage = "Documents:QpdfPath is required: PDF uploads are refused without the inspection.")]
    public string QpdfPath { get; set; } = "qpdf";

    /// <summary>Where uploads wait while they are checked; deleted on close. Defaults to the system temp directory.</summary>
    public string? SpoolDirectory { get; set; }

    [Required]
    public ClamdOptions Clamd { get; set; } = new();
}

public sealed class ClamdOptions
{
    /// <summary><c>unix:/run/clamav/clamd.ctl</c> or <c>tcp://host:3310</c>.</summary>
    [Required(ErrorMessage = "Documents:Clamd:Endpoint is required: uploads are refused without a virus scanner.")]
    public string Endpoint { get; set; } = "tcp://127.0.0.1:3310";

    /// <summary>For the whole scan of one document, connection included; past it the upload is refused (fail closed).</summary>
    [Range(1, 600, ErrorMessage = "Documents:Clamd:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Size of one INSTREAM chunk; must stay under clamd's StreamMaxLength in total, which MaxBytes does.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "Documents:Clamd:ChunkBytes must be between 1 KiB and 1 MiB.")]
    public int ChunkBytes { get; set; } = 64 * 1024;
}

internal sealed class DocumentOptionsValidation : IValidateOptions<DocumentOptions>
{
    public ValidateOptionsResult Validate(string? name, DocumentOptions options)
    {
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options.Clamd, new ValidationContext(options.Clamd), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => r.ErrorMessage ?? "Documents:Clamd is invalid."));
        }
        else if (!ClamdEndpoint.TryParse(options.Clamd.Endpoint, out _))
        {
            failures.Add("Documents:Clamd:Endpoint must be unix:/path/to/socket or tcp://host:port.");
        }

        // Checked at start, not at the first upload: without them every PDF would be refused as unreadable.
        foreach (var program in new[] { options.QpdfPath, "prlimit" })
        {
            if (program is { Length: > 0 } && !ProgramExists(program))
            {
                failures.Add($"Documents:QpdfPath: '{program}' is not installed (apt-get install qpdf util-linux).");
            }
        }

        if (options.SpoolDirectory is { Length: > 0 } spool && !Directory.Exists(spool))
        {
            failures.Add($"Documents:SpoolDirectory '{spool}' does not exist.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static bool ProgramExists(string program) =>
        program.Contains('/', StringComparison.Ordinal)
            ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, program)));
}
