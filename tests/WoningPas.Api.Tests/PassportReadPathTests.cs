using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Monitoring;
using WoningPas.Api.Passport;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The passport's fast path: a holder is authorised inside the query that reads the passport, and the access log is
/// written by one thread on one long-lived connection. Each test changes access between two reads and checks that the
/// very next read already obeys it, and that the log holds exactly one entry per read in one unbroken chain.
/// </summary>
public sealed class PassportReadPathTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri LeuvenPassport = new($"/api/dwellings/{DemoData.LeuvenHouseId}/passport", UriKind.Relative);
    private static readonly Uri GentPassport = new($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative);

    [Fact]
    public async Task A_holder_whose_right_ended_is_refused_on_the_next_read()
    {
        using var holder = await api.SignedInClientAsync("citizen-b");
        var before = await LastIdAsync();

        var whileHeld = await holder.GetAsync(LeuvenPassport, TestContext.Current.CancellationToken);
        await SetRightEndAsync(DemoData.CitizenBId, DemoData.LeuvenHouseId, "'2026-11-22'");
        try
        {
            var afterEnd = await holder.GetAsync(LeuvenPassport, TestContext.Current.CancellationToken);
            var sectionAfterEnd = await holder.GetAsync(new Uri($"{LeuvenPassport}/epc", UriKind.Relative),
                TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, whileHeld.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, afterEnd.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, sectionAfterEnd.StatusCode);
            var entries = await EntriesAfterAsync(before, DemoData.CitizenBId);
            Assert.Equal([AccessOutcome.Allowed, AccessOutcome.Denied, AccessOutcome.Denied], entries.Select(e => e.Outcome));
            Assert.Equal(DemoData.LeuvenHouseId, entries[0].DwellingId);
            Assert.All(entries.Skip(1), e => Assert.Null(e.DwellingId));
        }
        finally
        {
            await SetRightEndAsync(DemoData.CitizenBId, DemoData.LeuvenHouseId, "NULL");
        }
    }

    [Fact]
    public async Task A_right_that_starts_tomorrow_gives_nothing_today()
    {
        using var holder = await api.SignedInClientAsync("citizen-b");
        await SetRightStartAsync(DemoData.CitizenBId, DemoData.LeuvenHouseId, "'2026-11-24'");
        try
        {
            var response = await holder.GetAsync(LeuvenPassport, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            await SetRightStartAsync(DemoData.CitizenBId, DemoData.LeuvenHouseId, "'2018-02-01'");
        }
    }

    [Fact]
    public async Task A_share_revoked_between_two_reads_is_refused_on_the_next_one()
    {
        using var notary = await api.SignedInClientAsync("notary");
        var before = await LastIdAsync();

        var whileShared = await notary.GetAsync(GentPassport, TestContext.Current.CancellationToken);
        await ExecuteAsync($"UPDATE dwelling_shares SET revoked_at = now() WHERE id = '{DemoData.NotaryShareId}'");
        try
        {
            var afterRevocation = await notary.GetAsync(GentPassport, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, whileShared.StatusCode);
            var body = await whileShared.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("\"soil\"", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, afterRevocation.StatusCode);
            var entries = await EntriesAfterAsync(before, DemoData.NotaryId);
            Assert.Equal([AccessOutcome.Allowed, AccessOutcome.Denied], entries.Select(e => e.Outcome));
            Assert.Equal(DwellingAuthorizer.SharePurpose(DemoData.NotaryShareId), entries[0].Purpose);
        }
        finally
        {
            await ExecuteAsync($"UPDATE dwelling_shares SET revoked_at = NULL WHERE id = '{DemoData.NotaryShareId}'");
        }
    }

    [Fact]
    public async Task A_co_holder_of_another_dwelling_does_not_read_this_one_through_the_fast_path()
    {
        using var otherHolder = await api.SignedInClientAsync("citizen-b");

        var response = await otherHolder.GetAsync(GentPassport, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("EPC-2019-0001234", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_writers_like_two_replicas_append_to_one_chain_without_losing_or_doubling_an_entry()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var first = NewWriter();
        using var second = NewWriter();
        await first.StartAsync(TestContext.Current.CancellationToken);
        await second.StartAsync(TestContext.Current.CancellationToken);

        var appends = Enumerable.Range(0, 200).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync(Entry($"{marker}-{i}"), TestContext.Current.CancellationToken));
        var written = await Task.WhenAll(appends);
        await first.StopAsync(TestContext.Current.CancellationToken);
        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, written.Select(e => e.Id).Distinct().Count());
        await using var db = NewContext();
        var stored = await db.AccessLog.Where(e => e.CorrelationId!.StartsWith(marker))
            .Select(e => e.CorrelationId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{marker}-{i}").Order(), stored.Order());
        await AssertChainAsync();
    }

    [Fact]
    public async Task The_writer_refuses_the_batch_whose_connection_died_and_recovers_on_the_next()
    {
        var application = $"writer-{Guid.NewGuid():N}"[..30];
        using var writer = NewWriter($";Application Name={application}");
        await writer.StartAsync(TestContext.Current.CancellationToken);
        await writer.AppendAsync(Entry("before"), TestContext.Current.CancellationToken);

        await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{application}'");
        var duringOutage = await Record.ExceptionAsync(() => writer.AppendAsync(Entry("outage"), TestContext.Current.CancellationToken));
        var after = await writer.AppendAsync(Entry("after"), TestContext.Current.CancellationToken);
        await writer.StopAsync(TestContext.Current.CancellationToken);

        // The first batch on the dead connection may fail (the read is then refused) but never half-writes.
        Assert.True(duringOutage is null or NpgsqlException, $"unexpected: {duringOutage}");
        Assert.True(after.Id > 0);
        await AssertChainAsync();
    }

    private AccessLogWriter NewWriter(string connectionOptions = "") =>
        new(Options.Create(new DatabaseSettings { WoningPas = api.AppConnectionString + connectionOptions }), TimeProvider.System,
            api.Services.GetRequiredService<ILogger<AccessLogWriter>>(), api.Services.GetRequiredService<AccessLogMetrics>());

    private static AccessLogEntry Entry(string correlationId) => new()
    {
        ActorId = DemoData.CitizenAId.ToString("D"),
        ActorRole = Roles.Citizen,
        Action = AccessAction.Read,
        ObjectKind = "passport",
        ObjectId = DemoData.GentHouseId.ToString("D"),
        DwellingId = DemoData.GentHouseId,
        Purpose = "own-dossier",
        Outcome = AccessOutcome.Allowed,
        CorrelationId = correlationId,
    };

    private async Task AssertChainAsync()
    {
        await using var db = NewContext();
        var entries = await db.AccessLog.OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
        var previous = AccessLogChain.Genesis;
        foreach (var entry in entries)
        {
            Assert.Equal(previous, entry.PreviousHash);
            Assert.Equal(AccessLogChain.ComputeHash(previous, entry), entry.Hash);
            previous = entry.Hash;
        }
    }

    private Task SetRightEndAsync(Guid holder, Guid dwelling, string validUntil) =>
        ExecuteAsync($"UPDATE real_rights SET valid_until = {validUntil} WHERE holder_id = '{holder}' AND dwelling_id = '{dwelling}'");

    private Task SetRightStartAsync(Guid holder, Guid dwelling, string validFrom) =>
        ExecuteAsync($"UPDATE real_rights SET valid_from = {validFrom} WHERE holder_id = '{holder}' AND dwelling_id = '{dwelling}'");

    /// <summary>
    /// Changes the rights as the registration of a deed would, outside the Api, and returns once the Api has heard
    /// PostgreSQL announce the change (milliseconds later): the Api's passport cache drops a dwelling on that
    /// announcement, and "the next read" is the first read after it.
    /// </summary>
    private async Task ExecuteAsync(string sql)
    {
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var db = NewContext();
        await api.Services.GetRequiredService<PassportCache>().CatchUpAsync(db, TestContext.Current.CancellationToken);
    }

    private WoningPasDbContext NewContext() => new(DatabaseRegistration.CreateOptions(api.ConnectionString));

    private async Task<long> LastIdAsync()
    {
        await using var db = NewContext();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<List<AccessLogEntry>> EntriesAfterAsync(long id, Guid actor)
    {
        var actorId = actor.ToString("D");
        await using var db = NewContext();
        return await db.AccessLog.Where(e => e.Id > id && e.ActorId == actorId).OrderBy(e => e.Id)
            .ToListAsync(TestContext.Current.CancellationToken);
    }
}
