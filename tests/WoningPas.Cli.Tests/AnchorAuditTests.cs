using System.Globalization;
using Npgsql;
using WoningPas.Testing;

namespace WoningPas.Cli.Tests;

/// <summary>
/// anchor-audit and verify-audit --anchors: entries cut off the end of the log leave a valid (shorter) chain, which only
/// an anchor kept outside the database shows.
/// </summary>
[Collection(CliEnvironment.Collection)]
public sealed class AnchorAuditTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("woningpas-anchors-").FullName;
    private TestDatabase? _database;

    private string ConnectionString => _database!.ConnectionString;

    private string Anchors => Path.Combine(_directory, "anchors.jsonl");

    public async ValueTask InitializeAsync() => _database = await TestDatabases.CreateAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Deleting_the_newest_entries_as_the_owner_is_found_through_the_anchor_and_not_without_it()
    {
        await AccessLogRows.AppendAsync(ConnectionString, 5);
        var anchored = await LastIdAsync();

        var (anchorCode, anchorOutput, anchorError) = await RunAsync("anchor-audit", "--anchors", Anchors);
        await AccessLogRows.AppendAsync(ConnectionString, 2);
        var (intactCode, intactOutput, _) = await RunAsync("verify-audit", "--anchors", Anchors);

        Assert.Equal(0, anchorCode);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Anchored entry {anchored:N0}"), anchorOutput, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(Anchors, TestContext.Current.CancellationToken));
        Assert.True(anchorError.Length == 0 || !anchorError.Contains("Not anchored", StringComparison.Ordinal), anchorError);
        Assert.Equal(0, intactCode);
        Assert.Contains("every anchored head is in the chain", intactOutput, StringComparison.Ordinal);

        // The owner cuts off the tail, anchored entry included: what remains is still a valid chain.
        await ExecuteAsync($"""
            ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_or_delete;
            DELETE FROM access_log WHERE id >= {anchored - 1};
            ALTER TABLE access_log ENABLE TRIGGER access_log_no_update_or_delete;
            """);
        var (withoutCode, withoutOutput, withoutError) = await RunAsync("verify-audit");
        var (truncatedCode, _, truncatedError) = await RunAsync("verify-audit", "--anchors", Anchors);
        var (refusedCode, _, refusedError) = await RunAsync("anchor-audit", "--anchors", Anchors);

        Assert.Equal(0, withoutCode);
        Assert.Contains("Access log intact", withoutOutput, StringComparison.Ordinal);
        Assert.Contains("cannot be detected", withoutError, StringComparison.Ordinal);
        Assert.Equal(1, truncatedCode);
        Assert.Contains("TRUNCATED", truncatedError, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"entry {anchored}, anchored at"), truncatedError, StringComparison.Ordinal);
        // Nor does a new anchor paper over it.
        Assert.Equal(1, refusedCode);
        Assert.Contains("no longer in the log", refusedError, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(Anchors, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_altered_or_forged_anchor_fails_its_mac_and_a_removed_store_is_reported()
    {
        await AccessLogRows.AppendAsync(ConnectionString, 3);
        Assert.Equal(0, (await RunAsync("anchor-audit", "--anchors", Anchors)).Code);
        await AccessLogRows.AppendAsync(ConnectionString, 1);
        Assert.Equal(0, (await RunAsync("anchor-audit", "--anchors", Anchors)).Code);
        var lines = await File.ReadAllLinesAsync(Anchors, TestContext.Current.CancellationToken);
        Assert.Equal(2, lines.Length);

        // Someone with write access to the store moves the newest anchor back to an earlier entry.
        var earlier = await LastIdAsync() - 1;
        var newest = lines[1];
        var forged = System.Text.RegularExpressions.Regex.Replace(newest, "\"lastId\":[0-9]+",
            string.Create(CultureInfo.InvariantCulture, $"\"lastId\":{earlier}"));
        Assert.NotEqual(newest, forged);
        await File.WriteAllLinesAsync(Anchors, [lines[0], forged], TestContext.Current.CancellationToken);
        var (alteredCode, _, alteredError) = await RunAsync("verify-audit", "--anchors", Anchors);

        File.Delete(Anchors);
        var (missingCode, _, missingError) = await RunAsync("verify-audit", "--anchors", Anchors);

        Assert.Equal(1, alteredCode);
        Assert.Contains("anchor 2 of the store", alteredError, StringComparison.Ordinal);
        Assert.Contains("MAC does not verify", alteredError, StringComparison.Ordinal);
        Assert.Equal(1, missingCode);
        Assert.Contains("does not exist", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_broken_since_the_last_anchor_is_not_anchored()
    {
        await AccessLogRows.AppendAsync(ConnectionString, 2);
        Assert.Equal(0, (await RunAsync("anchor-audit", "--anchors", Anchors)).Code);
        await AccessLogRows.AppendAsync(ConnectionString, 1, breakChain: true);

        var (code, _, error) = await RunAsync("anchor-audit", "--anchors", Anchors);

        Assert.Equal(1, code);
        Assert.Contains("chain is broken", error, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(Anchors, TestContext.Current.CancellationToken));
    }

    private async Task<long> LastIdAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(id) FROM access_log", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__WoningPas", ConnectionString);
        try
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            var code = await CliApp.RunAsync(args, output, error, CultureInfo.InvariantCulture);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__WoningPas", null);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
#pragma warning disable CA2100 // test SQL built from a number read from the database
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>
/// Tests that run the CLI in-process point it at their database through the process-wide ConnectionStrings__WoningPas,
/// so they share one collection and never run at the same time.
/// </summary>
internal static class CliEnvironment
{
    public const string Collection = "cli-environment";
}
