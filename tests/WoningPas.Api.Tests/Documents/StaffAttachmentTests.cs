using System.Net;
using System.Net.Http.Headers;
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
/// Staff attach documents to the sections their agency owns through the holders' upload pipeline (real clamd, real
/// PostgreSQL): a clean PDF is stored and the holder lists and downloads it, logged; EICAR and another agency's
/// attempt store nothing.
/// </summary>
public sealed class StaffAttachmentTests(UploadApi fixture) : IClassFixture<UploadApi>
{
    private static readonly Guid Gent = DemoData.GentHouseId;

    private static async Task<HttpResponseMessage> AttachAsync(HttpClient client, string section, byte[] content,
        string title = "Asbestattest 2023", string fileName = "asbestattest.pdf")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("application/pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(
            $"/api/staff/dwellings/{Gent:D}/sections/{section}/attachments?title={Uri.EscapeDataString(title)}&fileName={Uri.EscapeDataString(fileName)}&purpose={Uri.EscapeDataString(StaffApi.Purpose)}",
            UriKind.Relative)) { Content = body };
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_clean_pdf_attached_by_the_owning_agency_is_listed_and_downloaded_by_the_holder_and_both_are_logged()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var pdf = TestDocuments.CleanPdf();
        var lastLogId = await LastLogIdAsync();

        var attached = await AttachAsync(staff, "asbestos", pdf);

        Assert.Equal(HttpStatusCode.Created, attached.StatusCode);
        var created = await attached.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var documentId = created.GetProperty("id").GetGuid();
        Assert.Equal(("asbestos", "waste-agency"), (created.GetProperty("section").GetString(), created.GetProperty("organisation").GetString()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));

        // The staff dossier lists it under its section.
        var dossier = await staff.GetStringAsync(new Uri($"/staff/dossiers/{Gent:D}?doel=Asbestdossier%2088", UriKind.Relative),
            TestContext.Current.CancellationToken);
        Assert.Contains($"data-attachment=\"{documentId:D}\"", dossier, StringComparison.Ordinal);

        using var holder = await fixture.Api.SignedInClientAsync("citizen-a");
        var documents = await holder.GetFromJsonAsync<JsonElement>(
            new Uri($"/api/dwellings/{Gent:D}/passport/documents", UriKind.Relative), TestContext.Current.CancellationToken);
        var listed = Assert.Single(documents.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == documentId);
        Assert.Equal("asbestos", listed.GetProperty("section").GetString());

        var download = await holder.GetAsync(attached.Headers.Location, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        // A holder cannot delete what the agency attached.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, attached.Headers.Location);
        delete.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        Assert.Equal(HttpStatusCode.Forbidden, (await holder.SendAsync(delete, TestContext.Current.CancellationToken)).StatusCode);

        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        var entries = await db.AccessLog.Where(e => e.Id > lastLogId && e.ObjectId == documentId.ToString("D"))
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(entries, e => e is { Action: AccessAction.Upload, Outcome: AccessOutcome.Allowed, Purpose: StaffApi.Purpose }
            && e.ActorId == DemoData.StaffWasteId.ToString("D") && e.DwellingId == Gent);
        Assert.Contains(entries, e => e is { Action: AccessAction.Download, Outcome: AccessOutcome.Allowed }
            && e.ActorId == DemoData.CitizenAId.ToString("D") && e.DwellingId == Gent);
    }

    [Fact]
    public async Task The_eicar_test_file_attached_by_staff_is_refused_and_nothing_is_stored()
    {
        using var staff = await fixture.Api.SignedInClientAsync("staff-waste");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);

        var response = await AttachAsync(staff, "soil", EicarTestFile.Bytes);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(DocumentProblemTypes.Malware, problem.GetProperty("type").GetString());
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.SpoolDirectory));
    }

    [Fact]
    public async Task Another_agency_cannot_attach_to_a_section_it_does_not_own_and_nothing_is_stored()
    {
        using var energy = await fixture.Api.SignedInClientAsync("staff-energy");
        var before = await Uploads.CountAsync(fixture.Api.ConnectionString, Gent);
        var lastLogId = await LastLogIdAsync();

        var response = await AttachAsync(energy, "asbestos", TestDocuments.CleanPdf());
        var registry = await AttachAsync(energy, "flood", TestDocuments.CleanPdf());
        using var citizen = await fixture.Api.SignedInClientAsync("citizen-a");
        var asCitizen = await AttachAsync(citizen, "asbestos", TestDocuments.CleanPdf());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, registry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asCitizen.StatusCode);
        Assert.Equal(before, await Uploads.CountAsync(fixture.Api.ConnectionString, Gent));
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        Assert.True(await db.AccessLog.AnyAsync(e => e.Id > lastLogId && e.Action == AccessAction.Upload
            && e.Outcome == AccessOutcome.Denied && e.ActorId == DemoData.StaffEnergyId.ToString(), TestContext.Current.CancellationToken));
    }

    private async Task<long> LastLogIdAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(fixture.Api.ConnectionString));
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }
}
