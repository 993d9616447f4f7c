using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>The back-office pages: search with a purpose, dossier reads, antiforgery, field errors, stale saves.</summary>
public sealed partial class BackOfficePageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private readonly ApiFactory _api = api;

    [Fact]
    public async Task A_search_by_insz_is_logged_per_dwelling_found_with_its_purpose_and_never_shows_the_insz()
    {
        using var editor = await _api.SignedInClientAsync("staff-energy");
        var before = await LastLogIdAsync();

        var (status, html) = await StaffPages.SubmitAsync(editor, "/staff",
            ("Query", "90.07.30-002.96"), ("Purpose", "Dossier 2026/4711 klacht"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Kerkstraat 12", html, StringComparison.Ordinal);
        Assert.Contains("Meir 50", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Bondgenotenlaan", html, StringComparison.Ordinal);
        Assert.DoesNotContain("85.07.30", html, StringComparison.Ordinal);
        Assert.DoesNotContain("90073000296", html, StringComparison.Ordinal);
        await using var db = Db();
        var entries = await db.AccessLog.Where(e => e.Id > before).ToListAsync(TestContext.Current.CancellationToken);
        var searches = entries.Where(e => e.Action == AccessAction.Search).ToList();
        Assert.Equal([DemoData.GentHouseId, DemoData.AntwerpenApartmentId], searches.Select(e => e.DwellingId!.Value).Order());
        Assert.All(searches, e =>
        {
            Assert.Equal("Dossier 2026/4711 klacht", e.Purpose);
            Assert.Equal("insz", e.ObjectId);
            Assert.Equal(DemoData.StaffEnergyId.ToString(), e.ActorId);
        });
        Assert.DoesNotContain(entries, e => JsonSerializer.Serialize(e).Contains("90073000296", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_search_by_address_and_by_capakey_finds_the_dwelling_and_opening_it_is_logged()
    {
        using var editor = await _api.SignedInClientAsync("staff-waste");
        var (_, byAddress) = await StaffPages.SubmitAsync(editor, "/staff", ("Query", "kerkstraat 12, Gent"), ("Purpose", "Asbestdossier 88"));
        Assert.Contains($"/staff/dossiers/{Gent:D}?doel=Asbestdossier%2088", byAddress, StringComparison.Ordinal);
        var (_, byCaPaKey) = await StaffPages.SubmitAsync(editor, "/staff", ("Query", "44021a0123-00b000"), ("Purpose", "Asbestdossier 88"));
        Assert.Contains("Kerkstraat 12", byCaPaKey, StringComparison.Ordinal);
        Assert.DoesNotContain("Meir", byCaPaKey, StringComparison.Ordinal);

        var before = await LastLogIdAsync();
        var dossier = await editor.GetStringAsync(new Uri($"/staff/dossiers/{Gent:D}?doel=Asbestdossier%2088", UriKind.Relative),
            TestContext.Current.CancellationToken);
        Assert.Contains("Asbestinventarisattest", dossier, StringComparison.Ordinal);
        // The waste agency does not see the energy agency's EPC.
        Assert.DoesNotContain("EPC bewerken", dossier, StringComparison.Ordinal);
        Assert.DoesNotContain("data-section-field=\"primaryEnergyUse\"", dossier, StringComparison.Ordinal);
        // Its own sections are shown with their values and an editor each; the registry-held ones say where they are corrected.
        Assert.Contains("Asbestinventarisattest bewerken", dossier, StringComparison.Ordinal);
        Assert.Contains("Bodemattest BA-2023-118822 bewerken", dossier, StringComparison.Ordinal);
        Assert.Contains("ASB-2023-000451", dossier, StringComparison.Ordinal);
        await using var db = Db();
        var read = await db.AccessLog.SingleAsync(e => e.Id > before, TestContext.Current.CancellationToken);
        Assert.Equal((AccessAction.Read, "dossier", Gent, "Asbestdossier 88", AccessOutcome.Allowed),
            (read.Action, read.ObjectKind, read.DwellingId!.Value, read.Purpose, read.Outcome));

        // Without a purpose the dossier asks for one and reads nothing.
        before = await LastLogIdAsync();
        var ask = await editor.GetStringAsync(new Uri($"/staff/dossiers/{Gent:D}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("Doel van de inzage", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("Kerkstraat", ask, StringComparison.Ordinal);
        Assert.Equal(before, await LastLogIdAsync());
    }

    [Fact]
    public async Task A_search_without_a_purpose_is_refused_with_the_error_linked_to_its_field_and_nothing_is_searched()
    {
        using var editor = await _api.SignedInClientAsync("staff-energy");
        var before = await LastLogIdAsync();
        var (status, html) = await StaffPages.SubmitAsync(editor, "/staff", ("Query", "Kerkstraat"), ("Purpose", ""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("href=\"#veld-purpose\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"doel-hulp veld-purpose-fout\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Resultaten", html, StringComparison.Ordinal);
        Assert.Equal(before, await LastLogIdAsync());
    }

    [Theory]
    [InlineData("/staff")]
    [InlineData("/staff/dossiers/d1000000-0000-4000-8000-000000000001/epc")]
    [InlineData("/staff/dossiers/d1000000-0000-4000-8000-000000000001/epc/geschiedenis?handler=Undo")]
    public async Task Every_staff_form_refuses_a_post_without_its_antiforgery_token(string path)
    {
        using var editor = await _api.SignedInClientAsync("staff-energy");
        // Even with the custom header the API accepts, a form post needs the token.
        using var content = new FormUrlEncodedContent([new("Query", "Kerkstraat"), new("Purpose", "Dossier 12345"),
            new("sourceReference", "EPC-1"), new("primaryEnergyUse", "1"), new("issuedOn", "2020-01-01"), new("versionId", "1")]);
        content.Headers.Add(CsrfHeaderCheck.HeaderName, "1");
        var before = await LastLogIdAsync();
        int versionsBefore;
        await using (var db = Db())
        {
            versionsBefore = await db.SectionVersions.CountAsync(TestContext.Current.CancellationToken);
        }

        var response = await editor.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await LastLogIdAsync());
        await using var after = Db();
        Assert.Equal(versionsBefore, await after.SectionVersions.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Staff_pages_are_private_and_not_stored()
    {
        using var editor = await _api.SignedInClientAsync("staff-energy");
        var response = await editor.GetAsync(new Uri("/staff", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
        Assert.Equal("nl-BE", Regex.Match(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "<html lang=\"([^\"]+)\"").Groups[1].Value);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-woningpas-staff-af=", StringComparison.Ordinal)
            && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_stale_save_on_the_page_shows_what_the_colleague_changed_and_keeps_the_editors_input()
    {
        using var first = await _api.SignedInClientAsync("staff-energy");
        using var second = await _api.SignedInClientAsync("staff-energy-2");
        var path = $"/staff/dossiers/{Gent:D}/epc?doel=Dossier%202026%2F77";
        var firstToken = await StaffPages.TokenAsync(first, path);
        var secondForm = await second.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var version = System.Text.RegularExpressions.Regex.Match(secondForm, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value;
        var seen = System.Text.RegularExpressions.Regex.Match(secondForm, "name=\"SeenVersionId\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.NotEmpty(version);

        var (firstStatus, firstHtml) = await StaffPages.PostAsync(first, path, Form(firstToken, version, seen, "EPC-2019-0001234", "199,9", "2019-03-01"));
        Assert.True(firstStatus == HttpStatusCode.OK, firstHtml);
        Assert.Contains("De wijziging is opgeslagen", firstHtml, StringComparison.Ordinal);

        var (status, html) = await StaffPages.PostAsync(second, path, Form(StaffPages.Token(secondForm), version, seen,
            "EPC-2019-0001234", "510", "2019-03-01"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("intussen gewijzigd", html, StringComparison.Ordinal);
        Assert.Contains("Energie Redacteur", html, StringComparison.Ordinal);
        Assert.Contains("199,9", html, StringComparison.Ordinal);
        Assert.Contains("value=\"510\"", html, StringComparison.Ordinal);

        var (invalidStatus, invalidHtml) = await StaffPages.PostAsync(second, path, Form(StaffPages.Token(html),
            System.Text.RegularExpressions.Regex.Match(html, "name=\"Version\" value=\"(\\d+)\"").Groups[1].Value, seen, "EPC-2019-0001234", "", "2019-03-01"));
        Assert.Equal(HttpStatusCode.BadRequest, invalidStatus);
        Assert.Contains("aria-describedby=\"primaryEnergyUse-hulp veld-primaryEnergyUse-fout\"", invalidHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"veld-primaryEnergyUse-fout\"", invalidHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"#veld-primaryEnergyUse\"", invalidHtml, StringComparison.Ordinal);
        await using var db = Db();
        Assert.Equal(199.9m, (await db.EnergyCertificates.SingleAsync(c => c.DwellingId == Gent, TestContext.Current.CancellationToken)).PrimaryEnergyUse);
    }

    private static KeyValuePair<string, string>[] Form(string token, string version, string seen, string reference,
        string use, string issuedOn) =>
    [
        new("__staffToken", token), new("Version", version), new("SeenVersionId", seen), new("doel", "Dossier 2026/77"),
        new("sourceReference", reference), new("primaryEnergyUse", use), new("issuedOn", issuedOn),
    ];


    private WoningPasDbContext Db() => new(DatabaseRegistration.CreateOptions(_api.ConnectionString));

    private async Task<long> LastLogIdAsync()
    {
        await using var db = Db();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }
}
