using Serilog;
using Serilog.Core;
using Serilog.Events;
using WoningPas.Api.Infrastructure;

namespace WoningPas.Api.Tests;

/// <summary>The Api logs each request once: the frameworks' step-by-step lines stay out unless they warn.</summary>
public sealed class LoggingLevelTests
{
    private static readonly Logger Logger = new LoggerConfiguration().MinimumLevel.Information().WithWoningPasLevels().CreateLogger();

    [Theory]
    [InlineData("System.Net.Http.HttpClient.FloodScoresClient.LogicalHandler")]
    [InlineData("System.Net.Http.HttpClient.PermitsClient.ClientHandler")]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Microsoft.EntityFrameworkCore.Database.Command")]
    [InlineData("Polly")]
    public void Framework_steps_are_not_logged_but_their_warnings_are(string source)
    {
        var logger = Logger.ForContext(Constants.SourceContextPropertyName, source);

        Assert.False(logger.IsEnabled(LogEventLevel.Information));
        Assert.True(logger.IsEnabled(LogEventLevel.Warning));
    }

    [Fact]
    public void The_api_own_information_is_logged()
    {
        Assert.True(Logger.ForContext(Constants.SourceContextPropertyName, "WoningPas.Api.Passport.PassportChangeListener")
            .IsEnabled(LogEventLevel.Information));
    }
}
