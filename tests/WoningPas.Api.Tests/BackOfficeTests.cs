using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>Editing the EPC section: concurrency on xmin, versions, undo, agency boundaries.</summary>
public sealed class BackOfficeEpcTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly Guid Leuven = DemoData.LeuvenHouseId;
    private readonly ApiFactory _api = api;

    private static Uri Epc(Guid id) => new($"/api/staff/dwellings/{id:D}/sections/epc", UriKind.Relative);

    [Fact]
    public async Task Two_editors_save_the_same_section_the_second_gets_412_and_nothing_is_lost()
    {
        using var first = await EditorAsync("staff-energy");
        using var second = await EditorAsync("staff-energy-2");
        var seenByFirst = await ReadAsync(first, Leuven);
        var seenBySecond = await ReadAsync(second, Leuven);
        Assert.Equal(seenByFirst.ETag, seenBySecond.ETag);

        var saved = await PutAsync(first, Leuven, seenByFirst.ETag, """{"sourceReference":"EPC-2016-0098765","primaryEnergyUse":"250","issuedOn":"2016-12-20"}""");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var afterFirst = await saved.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.NotEqual(seenByFirst.ETag, afterFirst.GetProperty("eTag").GetString());
        Assert.Equal(afterFirst.GetProperty("eTag").GetString(), saved.Headers.ETag?.Tag);

        var stale = await PutAsync(second, Leuven, seenBySecond.ETag, """{"sourceReference":"EPC-2016-0098765","primaryEnergyUse":"320,5","issuedOn":"2016-12-20"}""");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ProblemTypes.StaleVersion, problem.GetProperty("type").GetString());
        Assert.Equal(250m, problem.GetProperty("current").GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal("C", problem.GetProperty("current").GetProperty("label").GetString());

        // Nothing of the stale save was written: the first editor's value stands, with one version row.
        await using (var db = Db())
        {
            var epc = await db.EnergyCertificates.SingleAsync(c => c.DwellingId == Leuven, TestContext.Current.CancellationToken);
            Assert.Equal(250m, epc.PrimaryEnergyUse);
            Assert.Equal(1, await db.SectionVersions.CountAsync(v => v.DwellingId == Leuven, TestContext.Current.CancellationToken));
        }

        // With the current ETag the second editor saves deliberately on top; both versions are kept.
        var retried = await PutAsync(second, Leuven, problem.GetProperty("currentETag").GetString()!,
            """{"sourceReference":"EPC-2016-0098765","primaryEnergyUse":"320,5","issuedOn":"2016-12-20"}""");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var history = await HistoryAsync(first, Leuven);
        Assert.Equal(["Energie Collega", "Energie Redacteur"], history.Select(v => v.GetProperty("changedByName").GetString()));
        Assert.Equal(180m, history[1].GetProperty("before").GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal(250m, history[1].GetProperty("after").GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal(250m, history[0].GetProperty("before").GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal(320.5m, history[0].GetProperty("after").GetProperty("primaryEnergyUse").GetDecimal());
    }

    [Fact]
    public async Task A_save_and_its_undo_are_versions_and_the_citizen_sees_each_on_the_next_request()
    {
        using var editor = await EditorAsync("staff-energy");
        using var citizen = await _api.SignedInClientAsync("citizen-a");
        var before = await ReadAsync(editor, Gent);
        Assert.Equal("E", await CitizenLabelAsync(citizen, Gent));

        var saved = await PutAsync(editor, Gent, before.ETag, """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":95,"issuedOn":"2025-06-01"}""");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("A", await CitizenLabelAsync(citizen, Gent));

        var history = await HistoryAsync(editor, Gent);
        var versionId = history[0].GetProperty("id").GetInt64();
        using var staleUndo = Request(HttpMethod.Post, $"{Epc(Gent)}/versions/{versionId}/undo", before.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await editor.SendAsync(staleUndo, TestContext.Current.CancellationToken)).StatusCode);

        using var undo = Request(HttpMethod.Post, $"{Epc(Gent)}/versions/{versionId}/undo", saved.Headers.ETag!.Tag);
        var undone = await editor.SendAsync(undo, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        var values = (await undone.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("values");
        Assert.Equal(450m, values.GetProperty("primaryEnergyUse").GetDecimal());
        Assert.Equal("2019-03-01", values.GetProperty("issuedOn").GetString());
        Assert.Equal("2029-03-01", values.GetProperty("validUntil").GetString());
        Assert.Equal("E", await CitizenLabelAsync(citizen, Gent));

        history = await HistoryAsync(editor, Gent);
        Assert.Equal(2, history.Count);
        Assert.Equal("undo", history[0].GetProperty("kind").GetString());
        Assert.Equal(versionId, history[0].GetProperty("undoOf").GetInt64());
    }

    [Fact]
    public async Task Without_if_match_a_change_is_428_and_invalid_fields_get_their_own_message()
    {
        using var editor = await EditorAsync("staff-energy");
        var current = await ReadAsync(editor, Gent);

        using var withoutIfMatch = Request(HttpMethod.Put, Epc(Gent).ToString(), null,
            """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":100,"issuedOn":"2019-03-01"}""");
        var response = await editor.SendAsync(withoutIfMatch, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
        using var weak = Request(HttpMethod.Put, Epc(Gent).ToString(), "W/" + current.ETag,
            """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":100,"issuedOn":"2019-03-01"}""");
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await editor.SendAsync(weak, TestContext.Current.CancellationToken)).StatusCode);

        await using var db = Db();
        var versions = await db.SectionVersions.CountAsync(TestContext.Current.CancellationToken);
        var invalid = await PutAsync(editor, Gent, current.ETag, """{"sourceReference":"x","primaryEnergyUse":"veel","issuedOn":"2031-01-01"}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.Equal(["issuedOn", "primaryEnergyUse", "sourceReference"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("toekomst", errors.GetProperty("issuedOn")[0].GetString(), StringComparison.Ordinal);

        // Another EPC's number is refused on its field, and nothing is half-written.
        var duplicate = await PutAsync(editor, Gent, current.ETag, """{"sourceReference":"EPC-2016-0098765","primaryEnergyUse":100,"issuedOn":"2019-03-01"}""");
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(versions, await db.SectionVersions.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(current.ETag, (await ReadAsync(editor, Gent)).ETag);
    }

    [Fact]
    public async Task Only_the_energy_agency_edits_the_epc()
    {
        using var waste = await EditorAsync("staff-waste");
        Assert.Equal(HttpStatusCode.Forbidden, (await waste.GetAsync(StaffApi.WithPurpose(Epc(Gent)), TestContext.Current.CancellationToken)).StatusCode);
        var put = await PutAsync(waste, Gent, "\"1\"", """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":100,"issuedOn":"2019-03-01"}""");
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await waste.GetAsync(new Uri($"/staff/dossiers/{Gent:D}/epc?doel=Dossier%2012345", UriKind.Relative),
            TestContext.Current.CancellationToken)).StatusCode);

        using var energy = await EditorAsync("staff-energy");
        Assert.Equal(HttpStatusCode.NotFound, (await energy.GetAsync(StaffApi.WithPurpose(Epc(Guid.NewGuid())), TestContext.Current.CancellationToken)).StatusCode);

        using var citizen = await _api.SignedInClientAsync("citizen-a");
        Assert.Equal(HttpStatusCode.Forbidden, (await citizen.GetAsync(StaffApi.WithPurpose(Epc(Gent)), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await citizen.GetAsync(new Uri("/staff", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        using var auditor = await _api.SignedInClientAsync("staff-auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync(new Uri("/staff", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        using var anonymous = _api.AnonymousClient();
        var redirect = await anonymous.GetAsync(new Uri("/staff", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        // Straight to the staff tenant's authorize endpoint, with PKCE.
        Assert.Equal(_api.Identity.Staff.AuthorizationEndpoint.AbsoluteUri, redirect.Headers.Location?.GetLeftPart(UriPartial.Path));
        Assert.Contains("code_challenge_method=S256", redirect.Headers.Location?.Query, StringComparison.Ordinal);

        await using var db = Db();
        Assert.True(await db.AccessLog.AnyAsync(e => e.ActorId == DemoData.StaffWasteId.ToString() && e.Action == AccessAction.Edit
            && e.Outcome == AccessOutcome.Denied && e.DwellingId == Gent, TestContext.Current.CancellationToken));
    }

    private async Task<HttpClient> EditorAsync(string persona) => await _api.SignedInClientAsync(persona);

    private WoningPasDbContext Db() => new(DatabaseRegistration.CreateOptions(_api.ConnectionString));

    private static async Task<(string ETag, JsonElement Values)> ReadAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync(StaffApi.WithPurpose(Epc(id)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(body.GetProperty("eTag").GetString(), response.Headers.ETag?.Tag);
        return (response.Headers.ETag!.Tag, body.GetProperty("values"));
    }

    private static async Task<List<JsonElement>> HistoryAsync(HttpClient client, Guid id)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri(StaffApi.WithPurpose($"{Epc(id)}/versions"), UriKind.Relative),
            TestContext.Current.CancellationToken);
        return [.. body.GetProperty("versions").EnumerateArray()];
    }

    private static async Task<string?> CitizenLabelAsync(HttpClient citizen, Guid id)
    {
        var epc = await citizen.GetFromJsonAsync<JsonElement>(new Uri($"/api/dwellings/{id:D}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        return epc.GetProperty("label").GetString();
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, Guid id, string ifMatch, string json)
    {
        using var request = Request(HttpMethod.Put, Epc(id).ToString(), ifMatch, json);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? ifMatch, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(StaffApi.WithPurpose(path), UriKind.Relative));
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }
}
