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
    /// Statements the API runs again and again (the passport's batch of eight, the access log's) are prepared on the
    /// server: planning costs more than running them (the passport's first statement: 5 ms planning, under 1 ms running).
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
