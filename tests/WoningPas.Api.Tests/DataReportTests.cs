using System.Net;
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

/// <summary>"Report wrong data" from the citizen's report to the agency's answer and back.</summary>
public sealed class DataReportTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;

    [Fact]
    public async Task A_citizens_report_reaches_the_owning_agency_only_and_its_answer_reaches_the_citizen()
    {
        using var citizen = await api.SignedInClientAsync("citizen-a");
        var created = await PostAsync(citizen, Gent, "epc", """{"comment":"Het dak is in 2024 geïsoleerd, het label klopt niet meer."}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var reportId = report.GetProperty("id").GetGuid();
        Assert.Equal("open", report.GetProperty("status").GetString());

        using var waste = await api.SignedInClientAsync("staff-waste");
        var wasteQueue = await waste.GetStringAsync(new Uri("/staff/meldingen", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("dak is in 2024", wasteQueue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await waste.GetAsync(new Uri($"/staff/meldingen/{reportId:D}", UriKind.Relative),
            TestContext.Current.CancellationToken)).StatusCode);

        using var energy = await api.SignedInClientAsync("staff-energy");
        var queue = await energy.GetStringAsync(new Uri("/staff/meldingen", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("dak is in 2024", queue, StringComparison.Ordinal);
        Assert.Contains($"/staff/meldingen/{reportId:D}", queue, StringComparison.Ordinal);

        var path = $"/staff/meldingen/{reportId:D}";
        var (invalid, invalidHtml) = await StaffPages.SubmitAsync(energy, path, ("Decision", "Resolved"), ("Answer", ""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Contains("href=\"#veld-answer\"", invalidHtml, StringComparison.Ordinal);

        var (status, html) = await StaffPages.SubmitAsync(energy, path, ("Decision", "Resolved"),
            ("Answer", "Het EPC is bijgewerkt na het nieuwe attest van 2025."));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Uw antwoord is verstuurd", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dak is in 2024", await energy.GetStringAsync(new Uri("/staff/meldingen", UriKind.Relative),
            TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var mine = await citizen.GetFromJsonAsync<JsonElement>(new Uri($"/api/dwellings/{Gent:D}/passport/epc/reports", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var answered = mine.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == reportId);
        Assert.Equal("resolved", answered.GetProperty("status").GetString());
        Assert.Equal("Het EPC is bijgewerkt na het nieuwe attest van 2025.", answered.GetProperty("answer").GetString());
        var all = await citizen.GetFromJsonAsync<JsonElement>(new Uri($"/api/dwellings/{Gent:D}/reports", UriKind.Relative),
            TestContext.Current.CancellationToken);
        Assert.Contains(all.GetProperty("reports").EnumerateArray(), r => r.GetProperty("id").GetGuid() == reportId);

        // A second answer does not overwrite the first.
        var (again, againHtml) = await StaffPages.PostAsync(energy, path, [new("__staffToken", await StaffPages.TokenAsync(energy, "/staff")),
            new("Decision", "Rejected"), new("Answer", "Toch niet.")]);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("intussen al behandeld", againHtml, StringComparison.Ordinal);
        Assert.Contains("Het EPC is bijgewerkt", againHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Toch niet", againHtml, StringComparison.Ordinal);

        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        Assert.True(await db.AccessLog.AnyAsync(e => e.ObjectKind == "data-report" && e.ObjectId == reportId.ToString()
            && e.Action == AccessAction.Edit && e.ActorId == DemoData.StaffEnergyId.ToString() && e.DwellingId == Gent,
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reports_are_refused_for_other_peoples_dwellings_derived_sections_and_short_comments()
    {
        using var citizen = await api.SignedInClientAsync("citizen-a");
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(citizen, DemoData.LeuvenHouseId, "epc",
            """{"comment":"Dit is niet mijn woning maar toch."}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(citizen, Gent, "keuken", """{"comment":"Een onbekend onderdeel."}""")).StatusCode);

        var derived = await PostAsync(citizen, Gent, "renovation", """{"comment":"De renovatieplicht klopt niet."}""");
        Assert.Equal(HttpStatusCode.BadRequest, derived.StatusCode);
        var tooShort = await PostAsync(citizen, Gent, "asbestos", """{"comment":"fout"}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        var errors = (await tooShort.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("comment", out _));

        using var other = await api.SignedInClientAsync("citizen-b");
        var list = await other.GetAsync(new Uri($"/api/dwellings/{Gent:D}/reports", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        Assert.Equal(0, await db.DataReports.CountAsync(r => r.Section != "epc", TestContext.Current.CancellationToken));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Guid dwelling, string section, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri($"/api/dwellings/{dwelling:D}/passport/{section}/reports", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
