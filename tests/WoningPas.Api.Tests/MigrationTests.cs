using Microsoft.EntityFrameworkCore;
using WoningPas.Data;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

public sealed class MigrationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public void The_model_and_the_last_migration_agree()
    {
        using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        // Fails when an entity or configuration changed without `dotnet ef migrations add`.
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures.");
    }

    [Fact]
    public async Task Every_migration_is_applied_in_order_to_the_test_database()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }
}
