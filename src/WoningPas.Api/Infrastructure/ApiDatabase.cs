using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
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
                services.GetRequiredService<IOptions<DatabaseSettings>>().Value.WoningPas!));
        return builder;
    }
}
