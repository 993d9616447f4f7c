using Npgsql;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>The Api's database role may add to the access log and read it, and nothing else; the owner's changes show.</summary>
public sealed class DatabaseRoleTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("UPDATE access_log SET purpose = 'nothing to see'")]
    [InlineData("DELETE FROM access_log")]
    [InlineData("TRUNCATE access_log")]
    [InlineData("ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_or_delete")]
    public async Task The_application_role_cannot_change_or_remove_entries(string statement)
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        (await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken))
            .EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(api.AppConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(statement, connection);
        var refusal = await Assert.ThrowsAsync<PostgresException>(
            () => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        // 42501 insufficient_privilege, 42501-like "must be owner" for ALTER: refused by the grants, not only by the trigger.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refusal.SqlState);
        Assert.DoesNotContain("append-only", refusal.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_role_is_what_the_api_connects_as()
    {
        Assert.Equal(DatabaseRoles.App, new NpgsqlConnectionStringBuilder(api.AppConnectionString).Username);
        await using var connection = new NpgsqlConnection(api.AppConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT has_table_privilege('access_log', 'INSERT'), has_table_privilege('access_log', 'UPDATE'), " +
            "has_table_privilege('dwelling_shares', 'UPDATE'), has_table_privilege('__migrations', 'SELECT')", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.True(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.True(reader.GetBoolean(2));
        Assert.False(reader.GetBoolean(3));
    }
}

/// <summary>Own fixture: these tests break the chain on purpose.</summary>
public sealed class AccessLogTamperingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_intact_chain_verifies_and_a_row_changed_by_the_owner_is_the_first_broken_link()
    {
        using var client = await api.SignedInClientAsync("citizen-a");
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync(new Uri($"/api/dwellings/{DemoData.GentHouseId}/passport", UriKind.Relative),
                TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        var intact = await VerifyAsync();
        var ids = await IdsAsync();
        var victim = ids[2];
        await AsOwnerAsync($"""
            ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_or_delete;
            UPDATE access_log SET purpose = 'nothing to see' WHERE id = {victim};
            ALTER TABLE access_log ENABLE TRIGGER access_log_no_update_or_delete;
            """);
        var tampered = await VerifyAsync();

        Assert.True(intact.IsIntact, intact.Problem);
        Assert.True(intact.EntriesChecked >= 5);
        Assert.False(tampered.IsIntact);
        Assert.Equal(victim, tampered.BrokenAtId);
        Assert.Contains("changed", tampered.Problem, StringComparison.Ordinal);
    }

    private async Task<ChainVerification> VerifyAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return await AccessLogVerifier.VerifyAsync(db, null, TestContext.Current.CancellationToken);
    }

    private async Task<List<long>> IdsAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return [.. db.AccessLog.OrderBy(e => e.Id).Select(e => e.Id)];
    }

    private async Task AsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>Own fixture: a row is removed on purpose.</summary>
public sealed class AccessLogRemovalTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_row_removed_by_the_owner_breaks_the_link_of_the_next_one()
    {
        using var client = await api.SignedInClientAsync("citizen-b");
        for (var i = 0; i < 4; i++)
        {
            await client.GetAsync(new Uri("/api/dwellings", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        var ids = await IdsAsync();
        var removed = ids[^2];
        await AsOwnerAsync($"""
            ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_or_delete;
            DELETE FROM access_log WHERE id = {removed};
            ALTER TABLE access_log ENABLE TRIGGER access_log_no_update_or_delete;
            """);
        var result = await VerifyAsync();

        Assert.False(result.IsIntact);
        Assert.Equal(ids[^1], result.BrokenAtId);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    private async Task<ChainVerification> VerifyAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return await AccessLogVerifier.VerifyAsync(db, null, TestContext.Current.CancellationToken);
    }

    private async Task<List<long>> IdsAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        return [.. db.AccessLog.OrderBy(e => e.Id).Select(e => e.Id)];
    }

    private async Task AsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
