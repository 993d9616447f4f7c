using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Documents;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// The upload matrix against a real clamd and real PostgreSQL: each refusal names its reason and leaves nothing in
/// the database and nothing in the spool directory; a clean PDF is stored, downloadable by its holder only, with the
/// headers that keep a browser from rendering it, and both the upload and the download are in the access log.
/// </summary>
public sealed class DocumentUploadTests(UploadApi fixture) : IClassFixture<UploadApi>
{
    private static readonly Guid Gent = DemoData.GentHouseId;

    private async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string type,
        (long Documents, long Contents) before)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
        return problem;
    }

    [Fact]
    public async Task The_eicar_test_file_is_refused_by_the_virus_scanner_and_nothing_is_stored()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var response = await client.UploadAsync(Gent, EicarTestFile.Bytes);

        var problem = await AssertRefusedAsync(response, HttpStatusCode.UnprocessableEntity, DocumentProblemTypes.Malware, before);
        Assert.Contains(PrivateClamd.EicarSignatureName, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The escaped names are caught twice over: clamd's own PDF heuristics flag obfuscated names even without
    /// signatures, before the inspection (which PdfActiveContentTests shows finds them on its own) is reached.
    /// </summary>
    public static TheoryData<string, byte[], string, string> ActivePdfs => new()
    {
        { "plain /JavaScript", TestDocuments.PdfWithOpenAction("/S /JavaScript /JS (app.alert\\(1\\))"),
            DocumentProblemTypes.ActiveContent, "JavaScript" },
        { "#4A-escaped names", TestDocuments.PdfWithOpenAction("/S /#4AavaScript /#4A#53 (app.alert\\(1\\))"),
            DocumentProblemTypes.Malware, "Obfuscated" },
        { "hidden in a compressed object stream", PdfCorpus.HostilePdfs.All["javascript-in-object-stream-flate"](),
            DocumentProblemTypes.ActiveContent, "JavaScript" },
        { "launch action", TestDocuments.PdfWithOpenAction("/S /Launch /F (calc.exe)"),
            DocumentProblemTypes.ActiveContent, "launch action" },
    };

    [Theory]
    [MemberData(nameof(ActivePdfs))]
    public async Task A_pdf_with_active_content_is_refused_with_the_reason(string variant, byte[] pdf, string type, string reason)
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var response = await client.UploadAsync(Gent, pdf);

        var problem = await AssertRefusedAsync(response, HttpStatusCode.UnprocessableEntity, type, before);
        Assert.True(problem.GetProperty("detail").GetString()!.Contains(reason, StringComparison.Ordinal),
            $"{variant}: {problem.GetProperty("detail").GetString()}");
    }

    [Fact]
    public async Task A_pdf_that_cannot_be_inspected_is_refused_with_a_reason_code_the_page_can_word()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var response = await client.UploadAsync(Gent, "%PDF-1.7\nno objects, no trailer\n"u8.ToArray());

        var problem = await AssertRefusedAsync(response, HttpStatusCode.UnprocessableEntity, DocumentProblemTypes.NotInspectable, before);
        Assert.Equal("unreadable", problem.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("elf", "a Linux program (ELF)")]
    [InlineData("pe", "a Windows program (PE)")]
    public async Task An_executable_named_pdf_and_sent_as_application_pdf_is_refused_by_its_magic_bytes(string kind, string described)
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var executable = kind == "elf" ? TestDocuments.ElfExecutable() : TestDocuments.WindowsExecutable();

        var response = await client.UploadAsync(Gent, executable, "application/pdf", fileName: "factuur.pdf");

        var problem = await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, DocumentProblemTypes.UnsupportedType, before);
        Assert.Contains(described, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_the_body_is_read()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var body = new CountingStream(totalBytes: 64 * UploadApi.MaxBytes);
        using var content = new StreamContent(body);
        content.Headers.ContentLength = body.TotalBytes;
        using var request = new HttpRequestMessage(HttpMethod.Post, Uploads.UploadUri(Gent)) { Content = content };
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, DocumentProblemTypes.TooLarge, before);
        Assert.True(body.Produced < body.TotalBytes / 8, $"The client had to produce {body.Produced} of {body.TotalBytes} bytes.");
        // The passport page words the limit itself: it needs the number, not the English detail.
        Assert.Equal(UploadApi.MaxBytes, problem.GetProperty("maxBytes").GetInt64());
    }

    [Fact]
    public async Task A_body_without_length_is_refused_as_soon_as_it_passes_the_limit()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var body = new CountingStream(totalBytes: 64 * UploadApi.MaxBytes, prefix: "%PDF-1.7\n"u8.ToArray());
        using var content = new StreamContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Uploads.UploadUri(Gent)) { Content = content };
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, DocumentProblemTypes.TooLarge, before);
        Assert.True(body.Produced < body.TotalBytes / 8, $"The client had to produce {body.Produced} of {body.TotalBytes} bytes.");
    }

    [Fact]
    public async Task A_clean_pdf_is_stored_listed_and_downloaded_by_its_holder_with_safe_headers_and_both_are_logged()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var pdf = TestDocuments.CleanPdf();
        var lastLogId = await LastLogIdAsync();

        var upload = await client.UploadAsync(Gent, pdf, "application/octet-stream", "Factuur dakisolatie 2026",
            @"C:\Users\an\..\Factuur <dak>;""x"".exe");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var created = await upload.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var documentId = created.GetProperty("id").GetGuid();
        Assert.Equal("application/pdf", created.GetProperty("contentType").GetString());
        Assert.Equal("Factuur _dak___x.pdf", created.GetProperty("fileName").GetString());
        Assert.Equal(pdf.Length, created.GetProperty("sizeBytes").GetInt64());
        Assert.Equal($"/api/dwellings/{Gent:D}/documents/{documentId:D}", upload.Headers.Location?.OriginalString);
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));

        var section = await client.GetFromJsonAsync<JsonElement>(
            new Uri($"/api/dwellings/{Gent}/passport/documents", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(section.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == documentId);

        var download = await client.GetAsync(upload.Headers.Location, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.ToString());
        Assert.Equal(pdf.Length, download.Content.Headers.ContentLength);
        var disposition = download.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal("Factuur _dak___x.pdf", disposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal((true, true), (download.Headers.CacheControl?.Private, download.Headers.CacheControl?.NoStore));
        Assert.StartsWith("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var entries = await LogEntriesAfterAsync(lastLogId);
        Assert.Contains(entries, e => e is { Action: AccessAction.Upload, Outcome: AccessOutcome.Allowed, ObjectKind: "document" }
            && e.ObjectId == documentId.ToString("D") && e.DwellingId == Gent && e.ActorId == DemoData.CitizenAId.ToString("D"));
        var downloaded = Assert.Single(entries, e => e.Action == AccessAction.Download);
        Assert.Equal((AccessOutcome.Allowed, documentId.ToString("D"), (Guid?)Gent),
            (downloaded.Outcome, downloaded.ObjectId, downloaded.DwellingId));
        Assert.Equal(download.Headers.GetValues("X-Correlation-Id").Single(), downloaded.CorrelationId);
    }

    [Fact]
    public async Task A_document_of_exactly_the_limit_is_stored_and_comes_back_byte_for_byte()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var pdf = TestDocuments.CleanPdfOfLength(UploadApi.MaxBytes);

        var upload = await client.UploadAsync(Gent, pdf);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var download = await client.GetAsync(upload.Headers.Location, TestContext.Current.CancellationToken);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_png_is_accepted_and_gets_its_real_extension()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");

        var upload = await client.UploadAsync(Gent, TestDocuments.Png(), "application/pdf", "Foto gevel", "gevel.pdf");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var created = await upload.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("image/png", created.GetProperty("contentType").GetString());
        Assert.Equal("gevel.png", created.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Another_citizen_can_neither_download_nor_delete_nor_upload_and_is_told_not_found()
    {
        using var owner = await fixture.Api.SignedInClientAsync("citizen-a");
        var upload = await owner.UploadAsync(Gent, TestDocuments.CleanPdf());
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        using var other = await fixture.Api.SignedInClientAsync("citizen-b");
        var lastLogId = await LastLogIdAsync();
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var download = await other.GetAsync(upload.Headers.Location, TestContext.Current.CancellationToken);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, upload.Headers.Location);
        delete.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        var deleted = await other.SendAsync(delete, TestContext.Current.CancellationToken);
        var uploaded = await other.UploadAsync(Gent, TestDocuments.CleanPdf());

        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, uploaded.StatusCode);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        var entries = await LogEntriesAfterAsync(lastLogId);
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal((AccessOutcome.Denied, (Guid?)null), (e.Outcome, e.DwellingId)));
    }

    [Fact]
    public async Task The_uploader_deletes_a_document_and_its_content_goes_with_it()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var upload = await client.UploadAsync(Gent, TestDocuments.CleanPdf());
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, upload.Headers.Location);
        delete.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        var deleted = await client.SendAsync(delete, TestContext.Current.CancellationToken);
        var download = await client.GetAsync(upload.Headers.Location, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal((before.Documents - 1, before.Contents - 1), await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
    }

    [Fact]
    public async Task An_upload_without_a_title_is_refused_before_anything_is_read()
    {
        using var client = await fixture.Api.SignedInClientAsync("citizen-a");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var response = await client.UploadAsync(Gent, TestDocuments.CleanPdf(), title: " ");

        var problem = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, ProblemTypes.Validation, before);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
    }

    private async Task<long> LastLogIdAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<List<AccessLogEntry>> LogEntriesAfterAsync(long id)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        return await db.AccessLog.Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }
}
