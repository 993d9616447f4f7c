using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The other database-held sections through the one editing pipeline: per section a save, a 412 on a stale version
/// with nothing written, undo as a new version, field messages, and another agency's editor refused.
/// </summary>
public sealed class BackOfficeSectionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly Guid Antwerpen = DemoData.AntwerpenApartmentId;
    private readonly ApiFactory _api = api;

    private static string Base(Guid dwelling, string section) => $"/api/staff/dwellings/{dwelling:D}/sections/{section}";

    /// <summary>
    /// section, its agency's editor, the dwelling, a valid body, the field it changes (old and new value as raw JSON),
    /// a derived field and its new value (or null), and an editor of another agency.
    /// </summary>
    public static TheoryData<string, string, Guid, string, string, string, string, string?, string?, string> Sections => new()
    {
        { "asbestos", "staff-waste", Gent, """{"sourceReference":"ASB-2023-000451","issuedOn":"2023-05-02","hasHighRiskMaterials":false}""",
            "hasHighRiskMaterials", "true", "false", "validUntil", "\"2033-05-02\"", "staff-energy" },
        { "conformity", "staff-housing", Antwerpen, """{"sourceReference":"CA-2017-11002-0093","issuedOn":"2017-01-10","afterInvestigationWithDefects":false}""",
            "afterInvestigationWithDefects", "true", "false", "validUntil", "\"2027-01-10\"", "staff-waste" },
        { "soil", "staff-waste", Gent, """{"sourceReference":"BA-2023-118822","issuedOn":"2023-04-20","inLandInformationRegister":true}""",
            "inLandInformationRegister", "false", "true", null, null, "staff-housing" },
        { "installations", "staff-energy", Gent, """{"description":"Lucht-water warmtepomp 10 kW","sourceReference":"INST-2024-77120","installedOn":"2024-09-01"}""",
            "description", "\"Lucht-water warmtepomp 8 kW\"", "\"Lucht-water warmtepomp 10 kW\"", null, null, "staff-waste" },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task A_save_a_stale_save_and_an_undo_per_section(string section, string persona, Guid dwelling, string body,
        string field, string oldValue, string newValue, string? derivedField, string? derivedValue, string otherAgency)
    {
        using var editor = await _api.SignedInClientAsync(persona);
        var record = Assert.Single((await GetJsonAsync(editor, $"{Base(dwelling, section)}/records")).GetProperty("records").EnumerateArray());
        var etag = record.GetProperty("eTag").GetString()!;
        Assert.Equal(oldValue, record.GetProperty("values").GetProperty(field).GetRawText());
        var path = $"{Base(dwelling, section)}/records/{record.GetProperty("recordId").GetGuid():D}";

        var saved = await SendAsync(editor, HttpMethod.Put, path, etag, body);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var savedValues = (await saved.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("values");
        Assert.Equal(newValue, savedValues.GetProperty(field).GetRawText());
        if (derivedField is not null)
        {
            Assert.Equal(derivedValue, savedValues.GetProperty(derivedField).GetRawText());
        }

        var newETag = saved.Headers.ETag!.Tag;
        Assert.NotEqual(etag, newETag);

        // A colleague who still holds the first version gets 412 with the current values, and nothing is written.
        var stale = await SendAsync(editor, HttpMethod.Put, path, etag, body);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.StaleVersion, problem.GetProperty("type").GetString());
        Assert.Equal(newValue, problem.GetProperty("current").GetProperty(field).GetRawText());
        Assert.Equal(newETag, problem.GetProperty("currentETag").GetString());
        await using (var db = Db())
        {
            Assert.Equal(1, await db.SectionVersions.CountAsync(v => v.DwellingId == dwelling && v.Section == section,
                TestContext.Current.CancellationToken));
        }

        var history = (await GetJsonAsync(editor, $"{Base(dwelling, section)}/versions")).GetProperty("versions").EnumerateArray().ToList();
        var version = Assert.Single(history);
        Assert.Equal(oldValue, version.GetProperty("before").GetProperty(field).GetRawText());
        Assert.Equal(newValue, version.GetProperty("after").GetProperty(field).GetRawText());
        var versionId = version.GetProperty("id").GetInt64();

        var staleUndo = await SendAsync(editor, HttpMethod.Post, $"{Base(dwelling, section)}/versions/{versionId}/undo", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleUndo.StatusCode);
        var undone = await SendAsync(editor, HttpMethod.Post, $"{Base(dwelling, section)}/versions/{versionId}/undo", newETag);
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        var undoneValues = (await undone.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("values");
        Assert.Equal(oldValue, undoneValues.GetProperty(field).GetRawText());
        Assert.Equal(oldValue, (await GetJsonAsync(editor, path)).GetProperty("values").GetProperty(field).GetRawText());

        history = [.. (await GetJsonAsync(editor, $"{Base(dwelling, section)}/versions")).GetProperty("versions").EnumerateArray()];
        Assert.Equal(2, history.Count);
        Assert.Equal("undo", history[0].GetProperty("kind").GetString());
        Assert.Equal(versionId, history[0].GetProperty("undoOf").GetInt64());

        // Another agency's editor sees neither the record nor may change it; the refusals are logged.
        using var other = await _api.SignedInClientAsync(otherAgency);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(new Uri(StaffApi.WithPurpose(path), UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(other, HttpMethod.Put, path, newETag, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(other, HttpMethod.Post, $"{Base(dwelling, section)}/versions/{versionId}/undo", newETag)).StatusCode);

        await using var log = Db();
        var objectId = $"{dwelling:D}/{section}";
        var entries = await log.AccessLog.Where(e => e.ObjectId == objectId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, entries.Count(e => e is { Action: AccessAction.Edit, Outcome: AccessOutcome.Allowed }));
        Assert.Contains(entries, e => e is { Action: AccessAction.Read, Outcome: AccessOutcome.Allowed, ObjectKind: "section" });
        Assert.Equal(2, entries.Count(e => e.Outcome == AccessOutcome.Denied && e.Action == AccessAction.Edit));
    }

    [Theory]
    [InlineData("asbestos", "staff-waste", "hasHighRiskMaterials,issuedOn,sourceReference")]
    [InlineData("soil", "staff-waste", "inLandInformationRegister,issuedOn,sourceReference")]
    [InlineData("installations", "staff-energy", "description,sourceReference")]
    public async Task An_empty_body_gets_a_dutch_message_on_every_required_field(string section, string persona, string fields)
    {
        using var editor = await _api.SignedInClientAsync(persona);
        var record = (await GetJsonAsync(editor, $"{Base(Gent, section)}/records")).GetProperty("records")[0];
        var path = $"{Base(Gent, section)}/records/{record.GetProperty("recordId").GetGuid():D}";

        var response = await SendAsync(editor, HttpMethod.Put, path, record.GetProperty("eTag").GetString(), "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.Equal(fields.Split(','), errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(errors.EnumerateObject(), p => Assert.Matches("^(Vul|Geef) ", p.Value[0].GetString()!));
    }

    [Fact]
    public async Task Field_rules_of_the_sections_are_checked_and_nothing_is_written()
    {
        int versionsBefore;
        await using (var before = Db())
        {
            versionsBefore = await before.SectionVersions.CountAsync(TestContext.Current.CancellationToken);
        }

        using var housing = await _api.SignedInClientAsync("staff-housing");
        var conformity = await GetJsonAsync(housing, Base(Antwerpen, "conformity"));
        var future = await SendAsync(housing, HttpMethod.Put, Base(Antwerpen, "conformity"), conformity.GetProperty("eTag").GetString(),
            """{"sourceReference":"CA-2017-11002-0093","issuedOn":"2031-01-01","afterInvestigationWithDefects":"misschien"}""");
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        var errors = (await future.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.Contains("toekomst", errors.GetProperty("issuedOn")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("ja of nee", errors.GetProperty("afterInvestigationWithDefects")[0].GetString(), StringComparison.Ordinal);

        using var energy = await _api.SignedInClientAsync("staff-energy");
        var installation = (await GetJsonAsync(energy, $"{Base(Gent, "installations")}/records")).GetProperty("records")[0];
        var inspection = await SendAsync(energy, HttpMethod.Put,
            $"{Base(Gent, "installations")}/records/{installation.GetProperty("recordId").GetGuid():D}", installation.GetProperty("eTag").GetString(),
            """{"description":"Warmtepomp","sourceReference":"INST-2024-77120","lastInspectedOn":"2025-01-10","nextInspectionDue":"2024-01-10"}""");
        Assert.Equal(HttpStatusCode.BadRequest, inspection.StatusCode);
        Assert.Contains("nextInspectionDue", (await inspection.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)), StringComparison.Ordinal);

        await using var db = Db();
        Assert.Equal(versionsBefore, await db.SectionVersions.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(conformity.GetProperty("eTag").GetString(), (await GetJsonAsync(housing, Base(Antwerpen, "conformity"))).GetProperty("eTag").GetString());
    }

    [Fact]
    public async Task A_single_record_section_has_a_short_address_a_list_section_does_not_and_registry_sections_are_not_edited_here()
    {
        using var waste = await _api.SignedInClientAsync("staff-waste");
        var shortForm = await GetJsonAsync(waste, Base(Gent, "asbestos"));
        var listed = (await GetJsonAsync(waste, $"{Base(Gent, "asbestos")}/records")).GetProperty("records")[0];
        Assert.Equal(listed.GetProperty("recordId").GetGuid(), shortForm.GetProperty("recordId").GetGuid());

        var soil = await waste.GetAsync(new Uri(StaffApi.WithPurpose(Base(Gent, "soil")), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, soil.StatusCode);
        Assert.Contains("/records/", await soil.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var flood = await waste.GetAsync(new Uri(StaffApi.WithPurpose(Base(Gent, "flood")), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, flood.StatusCode);
        Assert.Contains("register", (await flood.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken))
            .GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private WoningPasDbContext Db() => new(DatabaseRegistration.CreateOptions(_api.ConnectionString));

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(StaffApi.WithPurpose(path), UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? ifMatch,
        string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(StaffApi.WithPurpose(path), UriKind.Relative));
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>The generic section page for a section other than the EPC, on its own database.</summary>
public sealed class BackOfficeSectionPageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Antwerpen = DemoData.AntwerpenApartmentId;
    private readonly ApiFactory _api = api;

    [Fact]
    public async Task The_housing_agency_edits_a_conformity_certificate_on_its_page_and_the_holders_passport_shows_it()
    {
        using var housing = await _api.SignedInClientAsync("staff-housing");
        var path = $"/staff/dossiers/{Antwerpen:D}/conformity?doel=Conformiteit%202026%2F9";
        var form = await housing.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("type=\"checkbox\"", form, StringComparison.Ordinal);
        var version = System.Text.RegularExpressions.Regex.Match(form, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value;

        // The unticked checkbox is sent as nothing: "no defects", so 10 years instead of 5.
        var (status, html) = await StaffPages.PostAsync(housing, path,
        [
            new("__staffToken", StaffPages.Token(form)), new("Version", version), new("SeenVersionId", "0"),
            new("doel", "Conformiteit 2026/9"), new("sourceReference", "CA-2017-11002-0093"), new("issuedOn", "2019-02-01"),
        ]);
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.Contains("De wijziging is opgeslagen", html, StringComparison.Ordinal);
        Assert.Contains("data-section-field=\"validUntil\">1 februari 2029<", html, StringComparison.Ordinal);

        using var holder = await _api.SignedInClientAsync("citizen-a");
        var passport = await holder.GetFromJsonAsync<JsonElement>(new Uri($"/api/dwellings/{Antwerpen:D}/passport/conformity", UriKind.Relative),
            TestContext.Current.CancellationToken);
        Assert.Equal("2029-02-01", passport.GetProperty("validUntil").GetString());
    }

}
