using Npgsql;
using Microsoft.EntityFrameworkCore;
using WoningPas.Cli.Seeding;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Testing;
using WoningPas.Domain;

namespace WoningPas.Cli.Tests;

public sealed class SeedTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Seeding_writes_valid_identifiers_and_a_second_run_with_the_same_parameters_writes_nothing()
    {
        var seeder = new Seeder(database.ConnectionString, await RingAsync(), TextWriter.Null);

        var first = await seeder.SeedAsync(2_000, 42, TestContext.Current.CancellationToken);
        var countsAfterFirst = await CountsAsync();
        var second = await seeder.SeedAsync(2_000, 42, TestContext.Current.CancellationToken);

        Assert.False(first.AlreadySeeded);
        Assert.True(second.AlreadySeeded);
        Assert.Equal(countsAfterFirst, await CountsAsync());
        Assert.Equal(2_000 + 3, countsAfterFirst.Dwellings);
        // About 1.2 rights per dwelling.
        Assert.InRange(countsAfterFirst.Rights / (double)countsAfterFirst.Dwellings, 1.1, 1.3);
        var ring = await RingAsync();
        // Decrypting parses the number: an invalid INSZ throws.
        Assert.All(await PeopleAsync(), person => Assert.Matches("^[0-9]{11}$", ring.Insz(person).Value));
        Assert.All(await ColumnAsync("SELECT capakey FROM parcels"), key => Assert.True(CaPaKey.TryParse(key, out _), $"invalid CaPaKey {key}"));
        // Apartments share a street and number.
        Assert.NotEmpty(await ColumnAsync("SELECT street || house_number FROM addresses GROUP BY 1 HAVING count(*) > 3"));
    }

    [Fact]
    public async Task Seeding_again_with_other_parameters_replaces_only_the_synthetic_rows()
    {
        var seeder = new Seeder(database.ConnectionString, await RingAsync(), TextWriter.Null);

        await seeder.SeedAsync(500, 1, TestContext.Current.CancellationToken);
        await seeder.SeedAsync(300, 2, TestContext.Current.CancellationToken);

        Assert.Equal(300 + 3, (await CountsAsync()).Dwellings);
        Assert.Equal(["Kerkstraat 12, 9000 Gent"], await ColumnAsync(
            "SELECT a.street || ' ' || a.house_number || ', ' || a.postal_code || ' ' || a.municipality FROM dwellings d JOIN addresses a ON a.id = d.address_id WHERE d.id = 'd1000000-0000-4000-8000-000000000001'"));
    }

    [Fact]
    public void Synthetic_inszs_are_valid_in_both_centuries_and_unique()
    {
        var numbers = Enumerable.Range(0, 30_000).Select(i => SyntheticFlanders.Insz(i * 887)).ToList();

        Assert.All(numbers, n => Assert.True(Insz.TryParse(n, out _), $"invalid INSZ {n}"));
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Contains(numbers, n => Insz.Parse(n).BirthDate?.Year >= 2000);
    }

    private async Task<KeyRing> RingAsync() =>
        await KeyRing.LoadAsync(database.ConnectionString, TestKeys.Kek, TimeProvider.System, TestContext.Current.CancellationToken);

    private async Task<List<Person>> PeopleAsync()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        return await db.People.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<(long Dwellings, long Rights)> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM dwellings), (SELECT count(*) FROM real_rights)", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
