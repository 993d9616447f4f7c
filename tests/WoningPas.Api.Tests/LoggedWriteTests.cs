using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// Every write has its access-log entry, or does not happen. The log is made to refuse one kind of entry with a
/// trigger (the database's own refusal, as a too-long value or a full disk would be): the write must then be rolled
/// back; with the log working, it commits with exactly its entry.
/// </summary>
public sealed class LoggedWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Gent = DemoData.GentHouseId;
    private static readonly string Epc = $"/api/staff/dwellings/{Gent:D}/sections/epc";
    private static readonly string ReportPath = $"/api/dwellings/{Gent:D}/passport/epc/reports";
    private const string LinkShare = """{"sections":["epc"],"link":true,"expiresOn":"2027-01-31"}""";
    private const string Report = """{"comment":"Het EPC vermeldt nog het oude dak van voor de renovatie."}""";

    [Fact]
    public async Task A_section_edit_whose_entry_the_log_refuses_is_not_stored_and_with_the_log_working_it_has_exactly_its_entry()
    {
        using var editor = await api.SignedInClientAsync("staff-energy");
        var etag = (await editor.GetAsync(new Uri(StaffApi.WithPurpose(Epc), UriKind.Relative), TestContext.Current.CancellationToken))
            .Headers.ETag!.Tag;
        const string body = """{"sourceReference":"EPC-2019-0001234","primaryEnergyUse":123,"issuedOn":"2019-03-01"}""";
        var before = await LastLogIdAsync();

        var refused = await RefusingAsync("NEW.action = 'Edit' AND NEW.object_kind = 'section'",
            () => SendAsync(editor, HttpMethod.Put, StaffApi.WithPurpose(Epc), body, etag));

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        await using (var db = Db())
        {
            var epc = await db.EnergyCertificates.AsNoTracking().SingleAsync(c => c.DwellingId == Gent, TestContext.Current.CancellationToken);
            Assert.NotEqual(123m, epc.PrimaryEnergyUse);
            Assert.False(await db.SectionVersions.AnyAsync(v => v.DwellingId == Gent, TestContext.Current.CancellationToken));
        }

        var saved = await SendAsync(editor, HttpMethod.Put, StaffApi.WithPurpose(Epc), body, etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var entry = Assert.Single(await EntriesAfterAsync(before), e => e.Action == AccessAction.Edit);
        Assert.Equal(StaffApi.Purpose, entry.Purpose);
        Assert.Equal($"{Gent:D}/epc", entry.ObjectId);
        Assert.Equal(AccessOutcome.Allowed, entry.Outcome);
    }

    [Fact]
    public async Task A_share_whose_entry_the_log_refuses_is_not_stored_and_otherwise_commits_with_exactly_its_entry()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var sharesBefore = await CountAsync("dwelling_shares");

        var refused = await RefusingAsync("NEW.action = 'Share'",
            () => SendAsync(holder, HttpMethod.Post, $"/api/dwellings/{Gent:D}/shares", LinkShare));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(sharesBefore, await CountAsync("dwelling_shares"));

        var before = await LastLogIdAsync();
        var shareId = (await SharingTests.CreateAsync(holder, LinkShare)).GetProperty("share").GetProperty("id").GetGuid();
        var shared = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal((AccessAction.Share, shareId.ToString("D"), AccessOutcome.Allowed), (shared.Action, shared.ObjectId, shared.Outcome));
    }

    [Fact]
    public async Task A_revocation_whose_entry_the_log_refuses_is_not_stored_and_otherwise_commits_with_exactly_its_entry()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var shareId = (await SharingTests.CreateAsync(holder, LinkShare)).GetProperty("share").GetProperty("id").GetGuid();
        var revokePath = $"/api/dwellings/{Gent:D}/shares/{shareId:D}";

        var refused = await RefusingAsync("NEW.action = 'Revoke'", () => SendAsync(holder, HttpMethod.Delete, revokePath));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Null(await RevokedAtAsync(shareId));

        var before = await LastLogIdAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(holder, HttpMethod.Delete, revokePath)).StatusCode);
        var revoked = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal((AccessAction.Revoke, shareId.ToString("D"), AccessOutcome.Allowed), (revoked.Action, revoked.ObjectId, revoked.Outcome));
        Assert.NotNull(await RevokedAtAsync(shareId));
    }

    [Fact]
    public async Task A_report_whose_entry_the_log_refuses_is_not_stored_and_otherwise_commits_with_exactly_its_entry()
    {
        using var citizen = await SharingTests.HolderAsync(api);
        var reportsBefore = await CountAsync("data_reports");

        var refused = await RefusingAsync("NEW.action = 'Edit' AND NEW.object_kind = 'data-report'",
            () => SendAsync(citizen, HttpMethod.Post, ReportPath, Report));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(reportsBefore, await CountAsync("data_reports"));

        var before = await LastLogIdAsync();
        var reportId = await ReportAsync(citizen);
        var reported = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal((AccessAction.Edit, reportId.ToString("D"), AccessOutcome.Allowed), (reported.Action, reported.ObjectId, reported.Outcome));
    }

    [Fact]
    public async Task An_answer_whose_entry_the_log_refuses_is_not_stored_and_otherwise_commits_with_exactly_its_entry()
    {
        using var citizen = await SharingTests.HolderAsync(api);
        using var energy = await api.SignedInClientAsync("staff-energy");
        var reportId = await ReportAsync(citizen);
        var answerPath = $"/staff/meldingen/{reportId:D}";
        var token = await StaffPages.TokenAsync(energy, answerPath);
        (string, string)[] answer = [("Decision", "Resolved"), ("Answer", "Het EPC is intussen bijgewerkt.")];

        var (refused, _) = await RefusingAsync("NEW.action = 'Edit' AND NEW.actor_role = 'editor'",
            () => StaffPages.PostAsync(energy, answerPath, [new("__staffToken", token), .. answer.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]));
        Assert.Equal(HttpStatusCode.InternalServerError, refused);
        Assert.Equal((DataReportStatus.Open, null), await ReportStateAsync(reportId));

        var before = await LastLogIdAsync();
        var (status, _) = await StaffPages.SubmitAsync(energy, answerPath, answer);
        Assert.Equal(HttpStatusCode.OK, status);
        var answered = Assert.Single(await EntriesAfterAsync(before), e => e.Action == AccessAction.Edit);
        Assert.Equal((reportId.ToString("D"), AccessOutcome.Allowed), (answered.ObjectId, answered.Outcome));
        Assert.Equal((DataReportStatus.Resolved, "Het EPC is intussen bijgewerkt."), await ReportStateAsync(reportId));
    }

    [Fact]
    public async Task Writes_logged_in_their_transactions_and_reads_logged_by_the_writer_keep_one_intact_chain()
    {
        using var holder = await SharingTests.HolderAsync(api);
        var work = Enumerable.Range(0, 24).Select(i => i % 2 == 0
            ? SendAsync(holder, HttpMethod.Post, $"/api/dwellings/{Gent:D}/shares", LinkShare)
            : holder.GetAsync(new Uri($"/api/dwellings/{Gent:D}/passport", UriKind.Relative), TestContext.Current.CancellationToken));

        var responses = await Task.WhenAll(work);

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var verification = await AccessLogVerifier.VerifyAsync(api.ConnectionString, TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.True(verification.EntriesChecked >= 24);
    }

    /// <summary>Runs <paramref name="act"/> while the database refuses access-log rows matching <paramref name="condition"/>.</summary>
    private async Task<T> RefusingAsync<T>(string condition, Func<Task<T>> act)
    {
        await ExecuteAsync($"""
            CREATE FUNCTION test_refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN RAISE EXCEPTION 'test: the access log refuses this entry'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_entry BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION test_refuse_entry();
            """);
        try
        {
            return await act();
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER test_refuse_entry ON access_log; DROP FUNCTION test_refuse_entry();");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path,
        string? json = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation(CsrfHeaderCheck.HeaderName, "1");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<Guid> ReportAsync(HttpClient citizen)
    {
        var created = await SendAsync(citizen, HttpMethod.Post, ReportPath, Report);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    private async Task<(DataReportStatus, string?)> ReportStateAsync(Guid reportId)
    {
        await using var db = Db();
        var report = await db.DataReports.AsNoTracking().SingleAsync(r => r.Id == reportId, TestContext.Current.CancellationToken);
        return (report.Status, report.Answer);
    }

    private async Task<DateTimeOffset?> RevokedAtAsync(Guid shareId)
    {
        await using var db = Db();
        return (await db.DwellingShares.AsNoTracking().SingleAsync(s => s.Id == shareId, TestContext.Current.CancellationToken)).RevokedAt;
    }

    private WoningPasDbContext Db() => new(DatabaseRegistration.CreateOptions(api.ConnectionString));

    private async Task<long> LastLogIdAsync()
    {
        await using var db = Db();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<List<AccessLogEntry>> EntriesAfterAsync(long id)
    {
        await using var db = Db();
        return await db.AccessLog.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }
}
