using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;
using WoningPas.Data;

namespace WoningPas.Api.Infrastructure;

public sealed class DatabaseSettings
{
    [Required(ErrorMessage = "ConnectionStrings:WoningPas is required: the API cannot start without its database.")]
    public string? WoningPas { get; set; }
}

public static class ApiDatabase
{
    public static WebApplicationBuilder AddApiDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseSettings>().BindConfiguration("ConnectionStrings")
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDbContextPool<WoningPasDbContext>((services, options) =>
            DatabaseRegistration.Configure(options,
                WithoutReset(services.GetRequiredService<IOptions<DatabaseSettings>>().Value.WoningPas!)));
        return builder;
    }

    /// <summary>
    /// The Api's contexts leave no session state on their connections: no SET, LISTEN, session lock or temporary
    /// table. The access-log writer and the change listener, which do, open connections of their own, and Npgsql keeps
    /// a pool per connection string. So a connection that goes back to the pool is not reset; a reset would be five
    /// statements sent ahead of every next command, for the server to parse each time.
    /// </summary>
    private static string WithoutReset(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
}
