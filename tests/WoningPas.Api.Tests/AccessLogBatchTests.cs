using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WoningPas.Api.AccessLog;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// The group-commit writer: one entry the database refuses must cost only its own request, not the reads of everybody
/// whose entries were committed in the same batch, and no value can be too long for its column.
/// </summary>
public sealed class AccessLogBatchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    // AccessLogStatements.ChainLockKey: "WPAL" in ASCII.
    private const long ChainLockKey = 0x5750_414C;

    [Fact]
    public async Task A_batch_with_an_entry_the_database_refuses_loses_only_that_entry()
    {
        var writer = api.Services.GetRequiredService<AccessLogWriter>();
        await ExecuteAsync("""
            CREATE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.purpose = 'poison' THEN RAISE EXCEPTION 'test: the access log refuses this entry'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_poison BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION test_refuse_poison();
            """);
        try
        {
            // Holding the chain lock keeps the writer on a first batch while the next one gathers, so that the poison
            // is written in one batch together with its neighbours.
            await using var holder = new NpgsqlConnection(api.ConnectionString);
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(holder, $"SELECT pg_advisory_lock({ChainLockKey})");
            var first = writer.AppendAsync(Entry("first"), TestContext.Current.CancellationToken);
            await WaitForWriterOnLockAsync(holder);
            var neighbours = Enumerable.Range(0, 9).Select(i => writer.AppendAsync(Entry("neighbour"), TestContext.Current.CancellationToken)).ToList();
            var poison = writer.AppendAsync(Entry("poison"), TestContext.Current.CancellationToken);
            neighbours.AddRange(Enumerable.Range(0, 9).Select(i => writer.AppendAsync(Entry("neighbour"), TestContext.Current.CancellationToken)));
            await ScalarAsync(holder, $"SELECT pg_advisory_unlock({ChainLockKey})");

            await first;
            var written = await Task.WhenAll(neighbours);
            await Assert.ThrowsAsync<PostgresException>(() => poison);

            Assert.All(written, entry => Assert.True(entry.Id > 0));
            await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
            Assert.Equal(18, await db.AccessLog.CountAsync(e => e.Purpose == "neighbour", TestContext.Current.CancellationToken));
            Assert.False(await db.AccessLog.AnyAsync(e => e.Purpose == "poison", TestContext.Current.CancellationToken));
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER test_refuse_poison ON access_log; DROP FUNCTION test_refuse_poison();");
        }

        var verification = await AccessLogVerifier.VerifyAsync(api.ConnectionString, TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Fact]
    public async Task Every_field_is_clamped_to_its_column_and_what_the_database_cannot_hold_is_replaced()
    {
        var writer = api.Services.GetRequiredService<AccessLogWriter>();
        var entry = Entry(new string('p', 300) + "\0") with
        {
            ObjectId = "dwelling/" + new string('o', 300),
            ObjectKind = new string('k', 80),
            CorrelationId = new string('c', 150),
            ActorOrganisation = "agency\0" + new string('a', 150),
        };

        var written = await writer.AppendAsync(entry, TestContext.Current.CancellationToken);

        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        var stored = await db.AccessLog.AsNoTracking().SingleAsync(e => e.Id == written.Id, TestContext.Current.CancellationToken);
        Assert.Equal(new string('p', AccessLogColumns.Purpose), stored.Purpose);
        Assert.Equal(AccessLogColumns.ObjectId, stored.ObjectId!.Length);
        Assert.Equal(AccessLogColumns.ObjectKind, stored.ObjectKind.Length);
        Assert.Equal(AccessLogColumns.CorrelationId, stored.CorrelationId!.Length);
        Assert.StartsWith("agency\uFFFD", stored.ActorOrganisation, StringComparison.Ordinal);
        Assert.Equal(AccessLogChain.ComputeHash(stored.PreviousHash, stored), stored.Hash);
    }

    private static AccessLogEntry Entry(string purpose) => new()
    {
        ActorId = DemoData.StaffEnergyId.ToString("D"),
        ActorRole = Roles.Editor,
        ActorOrganisation = "energy-agency",
        Action = AccessAction.Read,
        ObjectKind = "section",
        ObjectId = $"{DemoData.GentHouseId:D}/epc",
        DwellingId = DemoData.GentHouseId,
        Purpose = purpose,
        Outcome = AccessOutcome.Allowed,
    };

    private static async Task WaitForWriterOnLockAsync(NpgsqlConnection connection)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var waiting = await ScalarAsync(connection, $"""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {ChainLockKey}::oid
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """);
            if (waiting is > 0L)
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The access-log writer never waited for the chain lock.");
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await ScalarAsync(connection, sql);
    }
}
