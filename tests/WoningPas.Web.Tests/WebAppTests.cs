using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection;

namespace WoningPas.Web.Tests;

/// <summary>
/// The DevHost and the end-to-end tests run the Web inside another process: the pages must still be found, and the
/// caller's configuration must win.
/// </summary>
public sealed class WebAppTests
{
    [Fact]
    public async Task Built_from_another_entry_assembly_it_still_serves_its_pages()
    {
        var contentRoot = ProjectDirectory();
        await using var app = WebApp.Build(
            new WebApplicationOptions
            {
                ApplicationName = "WoningPas.DevHost",
                EnvironmentName = "Production",
                ContentRootPath = contentRoot,
                WebRootPath = Path.Combine(contentRoot, "wwwroot"),
            },
            builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            using var response = await client.GetAsync(new Uri("/woningpas", UriKind.Relative), TestContext.Current.CancellationToken);
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal("WoningPas.Web", app.Environment.ApplicationName);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("<h1>Mijn woningpas</h1>", html, StringComparison.Ordinal);
            Assert.Contains("/js/passport.js?v=", html, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_caller_configures_after_the_web_registered_its_services()
    {
        var registeredBeforeCaller = false;
        await using var app = WebApp.Build(
            new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = ProjectDirectory() },
            builder =>
            {
                registeredBeforeCaller = builder.Services.Any(s => s.ServiceType == typeof(IFileVersionProvider));
                builder.Configuration["Serilog:MinimumLevel:Default"] = "Fatal";
            });

        Assert.True(registeredBeforeCaller);
        Assert.Equal("Fatal", app.Configuration["Serilog:MinimumLevel:Default"]);
    }

    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "WoningPas.Web");
            if (File.Exists(Path.Combine(candidate, "WoningPas.Web.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/WoningPas.Web not found above the test binaries.");
    }
}
