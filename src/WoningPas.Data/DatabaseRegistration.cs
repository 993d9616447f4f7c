using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WoningPas.Data;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "WoningPas";

    /// <summary>PostgreSQL with the naming the migrations use; every host and tool configures the context here.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.MigrationsHistoryTable("__migrations", "public"))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// Statements the API runs again and again (the passport is one statement of a dozen joins) are prepared on the
    /// server: planning that statement costs more than running it (measured 7 ms planning against 0.3 ms prepared).
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>Options for a context made by hand: tools, set-up and tests.</summary>
    public static DbContextOptions<WoningPasDbContext> CreateOptions(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<WoningPasDbContext>();
        Configure(builder, connectionString);
        return builder.Options;
    }
}
