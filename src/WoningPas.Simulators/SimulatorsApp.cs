using Microsoft.Extensions.Options;
using WoningPas.Simulators.AddressRegister;
using WoningPas.Simulators.Cadastre;
using WoningPas.Simulators.EnergyCertificates;
using WoningPas.Simulators.FloodScores;
using WoningPas.Simulators.Permits;
using WoningPas.Simulators.Simulation;
using WoningPas.Simulators.WasteAgency;

namespace WoningPas.Simulators;

/// <summary>
/// Stand-ins for the third-party registries, over real HTTP, each behind its own gateway (API key header, capacity,
/// latency, error rate, outage). Its own WebApplication, so that the DevHost, the tests and the benchmarks can run it
/// next to the Api on a loopback port.
/// </summary>
public static class SimulatorsApp
{
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = options.ContentRootPath,
            ApplicationName = typeof(SimulatorsApp).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);

        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        builder.Services.AddSingleton<SimulatedRegistries>();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapSimulatorAdmin();
        app.MapAddressRegister();
        app.MapEnergyCertificates();
        app.MapWasteAgency();
        app.MapFloodScores();
        app.MapPermits();
        app.MapCadastre();
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
