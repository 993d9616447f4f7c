using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class AccessLogReadTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri MyLog = new("/api/me/access-log?pageSize=200", UriKind.Relative);

    [Fact]
    public async Task A_citizen_sees_who_read_their_dwelling_by_organisation_and_role_but_not_the_staff_members_name()
    {
        using var staff = await api.SignedInClientAsync("staff-energy");
        (await staff.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        using var citizen = await api.SignedInClientAsync("citizen-a");

        var response = await citizen.GetAsync(MyLog, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
        // Other tests of this class read the EPC as staff too: any of those entries will do.
        var read = items.First(i => i.GetProperty("objectId").GetString() == $"{DemoData.GentHouseId}/epc"
            && i.GetProperty("actorRole").GetString() == Roles.Editor);
        Assert.Equal(Organisations.EnergyAgency, read.GetProperty("actorOrganisation").GetString());
        Assert.Equal("agency-dossier", read.GetProperty("purpose").GetString());
        Assert.False(read.GetProperty("byYou").GetBoolean());
        Assert.DoesNotContain(DemoData.StaffEnergyId.ToString("D"), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Energie Redacteur", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_citizen_never_sees_accesses_to_dwellings_they_do_not_hold()
    {
        using var other = await api.SignedInClientAsync("citizen-b");
        (await other.GetAsync(new Uri($"/api/dwellings/{DemoData.LeuvenHouseId}/passport", UriKind.Relative),
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        using var citizen = await api.SignedInClientAsync("citizen-a");

        var body = await citizen.GetStringAsync(MyLog, TestContext.Current.CancellationToken);
        var mine = await other.GetStringAsync(MyLog, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(DemoData.LeuvenHouseId.ToString("D"), body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(DemoData.LeuvenHouseId.ToString("D"), mine, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_log_downloads_as_csv_and_the_download_is_itself_recorded_as_an_export()
    {
        using var staff = await api.SignedInClientAsync("staff-energy");
        await staff.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        using var citizen = await api.SignedInClientAsync("citizen-a");
        var before = await LastIdAsync();

        var response = await citizen.GetAsync(new Uri("/api/me/access-log?format=csv", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var csv = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("occurredAt,actorRole,actorOrganisation,byYou,action,objectKind,objectId,dwellingId,purpose,outcome\r\n",
            csv, StringComparison.Ordinal);
        Assert.Contains($",editor,energy-agency,false,Read,section,{DemoData.GentHouseId}/epc,", csv, StringComparison.Ordinal);
        await using var db = NewContext();
        var entry = await db.AccessLog.SingleAsync(e => e.Id > before, TestContext.Current.CancellationToken);
        Assert.Equal(AccessAction.Export, entry.Action);
        Assert.Equal("access-log", entry.ObjectKind);
    }

    [Fact]
    public async Task The_json_download_holds_the_same_entries_as_the_pages()
    {
        using var citizen = await api.SignedInClientAsync("citizen-a");
        await citizen.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var download = await citizen.GetAsync(new Uri("/api/me/access-log?format=json", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var page = await citizen.GetFromJsonAsync<JsonElement>(MyLog, TestContext.Current.CancellationToken);

        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        var exported = await download.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(exported.GetArrayLength(), page.GetProperty("items").GetArrayLength());
        Assert.Contains(exported.EnumerateArray(), e => e.GetProperty("objectKind").GetString() == "passport"
            && e.GetProperty("byYou").GetBoolean());
    }

    [Fact]
    public async Task Pages_say_whether_more_follow()
    {
        using var citizen = await api.SignedInClientAsync("citizen-a");
        for (var i = 0; i < 3; i++)
        {
            await citizen.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative),
                TestContext.Current.CancellationToken);
        }

        var first = await citizen.GetFromJsonAsync<JsonElement>(new Uri("/api/me/access-log?page=1&pageSize=2", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var bad = await citizen.GetAsync(new Uri("/api/me/access-log?pageSize=0&format=xml", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("pageSize", out _));
        Assert.True(errors.TryGetProperty("format", out _));
    }

    [Fact]
    public async Task An_auditor_searches_by_actor_and_period_and_the_search_is_recorded()
    {
        using var staff = await api.SignedInClientAsync("staff-energy");
        await staff.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport/epc", UriKind.Relative),
            TestContext.Current.CancellationToken);
        using var auditor = await api.SignedInClientAsync("staff-auditor");
        var before = await LastIdAsync();

        var result = await auditor.GetFromJsonAsync<JsonElement>(new Uri(
            $"/api/audit/access-log?actor={DemoData.StaffEnergyId}&from=2026-11-23&to=2026-11-24", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var empty = await auditor.GetFromJsonAsync<JsonElement>(new Uri(
            $"/api/audit/access-log?actor={DemoData.StaffEnergyId}&from=2026-11-25", UriKind.Relative),
            TestContext.Current.CancellationToken);
        var invalid = await auditor.GetAsync(new Uri("/api/audit/access-log?dwellingId=nope&from=yesterday", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var items = result.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(DemoData.StaffEnergyId.ToString("D"), i.GetProperty("actorId").GetString()));
        Assert.All(items, i => Assert.Equal(64, i.GetProperty("hash").GetString()!.Length));
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await using var db = NewContext();
        var searches = await db.AccessLog.Where(e => e.Id > before).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, searches.Count);
        Assert.All(searches, s => Assert.Equal(AccessAction.Search, s.Action));
    }

    private WoningPasDbContext NewContext() => new(DatabaseRegistration.CreateOptions(api.ConnectionString));

    private async Task<long> LastIdAsync()
    {
        await using var db = NewContext();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }
}
