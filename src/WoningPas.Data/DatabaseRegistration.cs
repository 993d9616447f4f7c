using Microsoft.EntityFrameworkCore;

namespace WoningPas.Data;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "WoningPas";

    /// <summary>PostgreSQL with the naming the migrations use; every host and tool configures the context here.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", "public"))
            .UseSnakeCaseNamingConvention();

    /// <summary>Options for a context made by hand: tools, set-up and tests.</summary>
    public static DbContextOptions<WoningPasDbContext> CreateOptions(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<WoningPasDbContext>();
        Configure(builder, connectionString);
        return builder.Options;
    }
}
