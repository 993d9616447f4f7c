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
    /// How much a PDF's compressed streams may inflate to in total while they are inspected; a PDF that inflates to
    /// more is refused rather than inspected partly (a decompression bomb, or simply too much to check).
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024, ErrorMessage = "Documents:MaxInflatedBytes must be between 1 KiB and 1 GiB.")]
    public long MaxInflatedBytes { get; set; } = 100 * 1024 * 1024;

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

        if (options.SpoolDirectory is { Length: > 0 } spool && !Directory.Exists(spool))
        {
            failures.Add($"Documents:SpoolDirectory '{spool}' does not exist.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
