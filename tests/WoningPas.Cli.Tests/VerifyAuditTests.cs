using System.Globalization;
using Npgsql;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Cli.Tests;

/// <summary>./build.sh cli verify-audit: exit 0 on an intact chain, 1 with the first broken link named.</summary>
[Collection(CliEnvironment.Collection)]
public sealed class VerifyAuditTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Verify_audit_passes_an_intact_chain_and_names_the_first_row_the_owner_changed()
    {
        var ids = await AppendChainAsync(4);

        var (intactCode, intactOutput, _) = await RunAsync();
        await ExecuteAsync($"""
            ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_or_delete;
            UPDATE access_log SET actor_role = 'auditor' WHERE id = {ids[1]};
            ALTER TABLE access_log ENABLE TRIGGER access_log_no_update_or_delete;
            """);
        var (brokenCode, _, brokenError) = await RunAsync();

        Assert.Equal(0, intactCode);
        Assert.Contains("Access log intact: 4 entries", intactOutput, StringComparison.Ordinal);
        Assert.Equal(1, brokenCode);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"BROKEN at entry {ids[1]}"), brokenError,
            StringComparison.Ordinal);
    }

    /// <summary>Entries chained exactly as the Api's writer chains them.</summary>
    private async Task<List<long>> AppendChainAsync(int count)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        var previous = AccessLogChain.Genesis;
        var ids = new List<long>();
        for (var i = 1; i <= count; i++)
        {
            var entry = new AccessLogEntry
            {
                Id = i,
                OccurredAt = AccessLogChain.TruncateToMicroseconds(new DateTimeOffset(2026, 11, 23, 10, 0, i, TimeSpan.Zero)),
                ActorId = Guid.NewGuid().ToString("D"),
                ActorRole = Roles.Citizen,
                Action = AccessAction.Read,
                ObjectKind = "passport",
                Purpose = "own-dossier",
                Outcome = AccessOutcome.Allowed,
                PreviousHash = previous,
            };
            entry.Hash = AccessLogChain.ComputeHash(previous, entry);
            previous = entry.Hash;
            db.AccessLog.Add(entry);
            ids.Add(i);
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return ids;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__WoningPas", database.ConnectionString);
        try
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            var code = await CliApp.RunAsync(["verify-audit"], output, error, CultureInfo.InvariantCulture);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__WoningPas", null);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
