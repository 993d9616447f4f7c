using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// The back office's attachment form (multipart, streamed, real clamd and PostgreSQL): a clean PDF is stored and
/// listed after a redirect; a missing or wrong antiforgery token, malware, an oversized file and another agency's post
/// are refused and store nothing.
/// </summary>
public sealed class StaffAttachmentFormTests(UploadApi fixture) : IClassFixture<UploadApi>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly string FormPath = $"/staff/dossiers/{Gent:D}/asbestos/bijlage?doel=Asbestdossier%2088";

    /// <summary>The form's parts in the order a browser sends them; a null token leaves its part out.</summary>
    private static async Task<(HttpStatusCode Status, string Html, Uri? Location)> PostAsync(HttpClient client,
        string? token, byte[] file, string title = "Asbestattest 2023", string path = "",
        Action<HttpRequestMessage>? adjust = null)
    {
        using var form = new MultipartFormDataContent();
        using var tokenPart = new StringContent(token ?? string.Empty);
        using var titlePart = new StringContent(title);
        using var filePart = new ByteArrayContent(file);
        if (token is not null)
        {
            form.Add(tokenPart, "__staffToken");
        }

        form.Add(titlePart, "titel");
        filePart.Headers.ContentType = MediaTypeHeaderValue.Parse("application/pdf");
        form.Add(filePart, "bestand", "asbestattest.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path.Length > 0 ? path : FormPath, UriKind.Relative))
        {
            Content = form,
        };
        adjust?.Invoke(request);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            response.Headers.Location);
    }

    [Fact]
    public async Task A_clean_pdf_posted_through_the_form_is_stored_and_listed_in_the_dossier_after_a_redirect()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);

        var (status, html, location) = await PostAsync(staff, token, TestDocuments.CleanPdf(), "Asbestattest formulier");

        Assert.True(status == HttpStatusCode.Redirect, $"{(int)status}: {html}");
        Assert.NotNull(location);
        Assert.StartsWith($"/staff/dossiers/{Gent:D}?doel=Asbestdossier%2088&toegevoegd=", location.OriginalString, StringComparison.Ordinal);
        var after = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        Assert.Equal((before.Documents + 1, before.Contents + 1), after);
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));

        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        var stored = await db.OwnerDocuments.AsNoTracking().Where(d => d.DwellingId == Gent && d.Title == "Asbestattest formulier")
            .SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("asbestos", "waste-agency", "asbestattest.pdf", "application/pdf"),
            (stored.Section, stored.Organisation, stored.FileName, stored.ContentType));
        Assert.True(await db.AccessLog.AnyAsync(e => e.ObjectId == stored.Id.ToString() && e.Action == AccessAction.Upload
            && e.Outcome == AccessOutcome.Allowed && e.Purpose == "Asbestdossier 88", TestContext.Current.CancellationToken));

        var dossier = await staff.GetStringAsync(location, TestContext.Current.CancellationToken);
        Assert.Contains($"data-attachment=\"{stored.Id:D}\"", dossier, StringComparison.Ordinal);
        Assert.Contains("De bijlage \"Asbestattest formulier\" is toegevoegd", dossier, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_or_with_a_wrong_antiforgery_token_is_refused_and_stores_nothing()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        using var colleague = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);
        var othersToken = await StaffPages.TokenAsync(colleague, FormPath);

        var missing = await PostAsync(staff, null, TestDocuments.CleanPdf());
        var garbage = await PostAsync(staff, "not-a-token", TestDocuments.CleanPdf());
        var anotherSession = await PostAsync(staff, othersToken, TestDocuments.CleanPdf());
        // A valid token in the header does not stand in for a wrong one in the form.
        var headerOnly = await PostAsync(staff, "not-a-token", TestDocuments.CleanPdf(),
            adjust: request => request.Headers.Add("RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Equal(HttpStatusCode.BadRequest, anotherSession.Status);
        Assert.Equal(HttpStatusCode.BadRequest, headerOnly.Status);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
    }

    [Fact]
    public async Task A_post_without_a_title_gets_a_field_error_and_stores_nothing()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);

        var (status, html, _) = await PostAsync(staff, token, TestDocuments.CleanPdf(), title: "  ");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<a href=\"#veld-titel\">Geef een titel op.</a>", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
    }

    [Fact]
    public async Task The_eicar_test_file_shows_the_refusal_on_the_page_and_stores_nothing()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);

        var (status, html, _) = await PostAsync(staff, token, EicarTestFile.Bytes, "Virusattest");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("De virusscanner vond schadelijke inhoud in het bestand. Er is niets opgeslagen.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"veld-bestand-fout\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Virusattest\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> RefusedFiles => new()
    {
        { "PDF with JavaScript", TestDocuments.PdfWithOpenAction("/S /JavaScript /JS (app.alert\\(1\\))"),
            HttpStatusCode.UnprocessableEntity, "De PDF bevat actieve inhoud" },
        { "executable named .pdf", TestDocuments.ElfExecutable(),
            HttpStatusCode.UnsupportedMediaType, "Alleen PDF-, JPEG- en PNG-bestanden worden aanvaard" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task A_refused_file_shows_its_reason_in_dutch_and_stores_nothing(string variant, byte[] file,
        HttpStatusCode expected, string message)
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);

        var (status, html, _) = await PostAsync(staff, token, file);

        Assert.True(status == expected, $"{variant}: {(int)status}");
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
    }

    [Fact]
    public async Task With_the_scanner_unreachable_the_form_refuses_a_clean_pdf_and_stores_nothing()
    {
        await using var api = new ApiFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Documents:Clamd:Endpoint"] = "unix:" + Path.Combine(fixture.SpoolDirectory, "no-clamd.sock"),
            },
        };
        await api.InitializeAsync();
        using var staff = await api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);

        var (status, html, _) = await PostAsync(staff, token, TestDocuments.CleanPdf());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("omdat de virusscanner niet bereikbaar is", html, StringComparison.Ordinal);
        Assert.Equal(before, await Uploads.CountAsync(api.ConnectionString, Gent));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_on_the_page_while_it_streams_and_stores_nothing()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var token = await StaffPages.TokenAsync(staff, FormPath);
        var tooLarge = TestDocuments.CleanPdf().Concat(new byte[UploadApi.MaxBytes]).ToArray();

        var (status, html, _) = await PostAsync(staff, token, tooLarge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Het bestand is te groot: een bijlage is hoogstens 1 MB.", html, StringComparison.Ordinal);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
    }

    [Fact]
    public async Task Another_agency_gets_403_before_its_file_is_read_and_nothing_is_stored()
    {
        using var energy = await fixture.Api.SignedInClientAsync("staff-energy");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var lastLogId = await LastLogIdAsync();
        // A valid token of its own session, from the form of a section it does own.
        var token = await StaffPages.TokenAsync(energy, $"/staff/dossiers/{Gent:D}/installations/bijlage?doel=Installaties");

        var form = await energy.GetAsync(new Uri(FormPath, UriKind.Relative), TestContext.Current.CancellationToken);
        var (status, _, _) = await PostAsync(energy, token, TestDocuments.CleanPdf());

        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        Assert.True(await db.AccessLog.AnyAsync(e => e.Id > lastLogId && e.Action == AccessAction.Upload && e.Outcome == AccessOutcome.Denied
            && e.ActorId == DemoData.StaffEnergyId.ToString() && e.ObjectId == $"{Gent:D}/asbestos",
            TestContext.Current.CancellationToken));
    }

    private async Task<long> LastLogIdAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }
}
