using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class AccessLogTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Every_passport_read_leaves_exactly_one_entry_naming_actor_object_purpose_and_outcome()
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        var before = await LastIdAsync();

        var response = await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative),
            TestContext.Current.CancellationToken);

        response.EnsureSuccessStatusCode();
        var entry = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal(DemoData.CitizenAId.ToString("D"), entry.ActorId);
        Assert.Equal(Roles.Citizen, entry.ActorRole);
        Assert.Equal(AccessAction.Read, entry.Action);
        Assert.Equal("passport", entry.ObjectKind);
        Assert.Equal(DemoData.GentHouseId, entry.DwellingId);
        Assert.Equal("own-dossier", entry.Purpose);
        Assert.Equal(AccessOutcome.Allowed, entry.Outcome);
        Assert.Equal(response.Headers.GetValues("X-Correlation-Id").Single(), entry.CorrelationId);
        Assert.Equal(ApiFactory.Today, entry.OccurredAt);
    }

    [Fact]
    public async Task A_refused_read_is_recorded_as_denied_and_not_attached_to_the_other_dwelling()
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        var before = await LastIdAsync();

        await client.GetAsync(new Uri($"/api/dwellings/{DemoData.LeuvenHouseId}/passport", UriKind.Relative),
            TestContext.Current.CancellationToken);

        var entry = Assert.Single(await EntriesAfterAsync(before));
        Assert.Equal(AccessOutcome.Denied, entry.Outcome);
        Assert.Null(entry.DwellingId);
        Assert.Equal(DemoData.LeuvenHouseId.ToString("D"), entry.ObjectId);
    }

    [Fact]
    public async Task Entries_form_a_hash_chain_that_recomputes()
    {
        using var client = await api.SignedInClientAsync("citizen-b");
        for (var i = 0; i < 3; i++)
        {
            await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        await using var db = NewContext();
        var entries = await db.AccessLog.OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);

        Assert.True(entries.Count >= 3);
        var previous = AccessLogChain.Genesis;
        foreach (var entry in entries)
        {
            Assert.Equal(previous, entry.PreviousHash);
            Assert.Equal(AccessLogChain.ComputeHash(previous, entry), entry.Hash);
            previous = entry.Hash;
        }
    }

    [Theory]
    [InlineData("UPDATE access_log SET purpose = 'nothing to see'")]
    [InlineData("DELETE FROM access_log")]
    [InlineData("TRUNCATE access_log")]
    public async Task The_database_refuses_to_change_or_remove_entries(string statement)
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);
        var before = await CountAsync();

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(statement, connection);
        var refusal = await Assert.ThrowsAsync<PostgresException>(
            () => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Contains("append-only", refusal.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task No_entry_carries_a_national_register_number()
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM access_log WHERE access_log::text LIKE '%90073000296%'", connection);

        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private WoningPasDbContext NewContext() => new(DatabaseRegistration.CreateOptions(api.ConnectionString));

    private async Task<long> LastIdAsync()
    {
        await using var db = NewContext();
        return await db.AccessLog.MaxAsync(e => (long?)e.Id, TestContext.Current.CancellationToken) ?? 0;
    }

    private async Task<int> CountAsync()
    {
        await using var db = NewContext();
        return await db.AccessLog.CountAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<AccessLogEntry>> EntriesAfterAsync(long id)
    {
        await using var db = NewContext();
        return await db.AccessLog.Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }
}
