using Microsoft.Extensions.Options;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>A misconfigured upload pipeline stops the host at start, naming the setting, instead of failing uploads later.</summary>
public sealed class DocumentOptionsTests
{
    [Theory]
    [InlineData("Documents:Clamd:Endpoint", "http://127.0.0.1:3310")]
    [InlineData("Documents:Clamd:Endpoint", "unix:")]
    [InlineData("Documents:MaxBytes", "0")]
    [InlineData("Documents:Clamd:TimeoutSeconds", "0")]
    [InlineData("Documents:SpoolDirectory", "/nonexistent/woningpas-spool")]
    [InlineData("Documents:PdfInspectionSeconds", "0")]
    [InlineData("Documents:PdfInspectionMemoryBytes", "1048576")]
    [InlineData("Documents:QpdfPath", "/nonexistent/qpdf")]
    [InlineData("Documents:QpdfPath", "no-such-qpdf-program")]
    public async Task An_invalid_setting_refuses_to_start_and_names_it(string key, string value)
    {
        await using var api = new ApiFactory { Settings = new Dictionary<string, string?> { [key] = value } };
        await api.InitializeAsync();

        var failure = api.StartFailure();

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }
}
