using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WoningPas.Api;
using WoningPas.Web;

namespace WoningPas.Deploy.Tests;

/// <summary>
/// What a host does with a container's settings: it is built exactly as in production (its own appsettings files,
/// the container's variables as configuration, nothing from this machine's environment) and its start-up validation
/// is run. A recording configuration source, consulted first, notes every key anything asks for while the host is
/// composed and its validated options are bound: a variable whose key nobody asks for binds to nothing.
/// </summary>
public sealed class HostContract
{
    private HostContract(IReadOnlySet<string> keysRead, IReadOnlyList<string> validationFailures)
    {
        KeysRead = keysRead;
        ValidationFailures = validationFailures;
    }

    /// <summary>Every configuration key read (<c>Section:Key</c>), case-insensitive as configuration is.</summary>
    public IReadOnlySet<string> KeysRead { get; }

    /// <summary>What the host's start-up validation refuses, each naming its setting; empty when it would start.</summary>
    public IReadOnlyList<string> ValidationFailures { get; }

    public bool Reads(string variable) => KeysRead.Contains(ConfigurationKey(variable));

    /// <summary><c>A__B__C</c> as the environment-variable provider maps it: <c>A:B:C</c>.</summary>
    public static string ConfigurationKey(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    public static HostContract Of(ContainerSettings container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var environment = container.Value("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var settings = container.Environment
            .Where(e => !e.Name.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
            .ToDictionary(e => ConfigurationKey(e.Name), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);
        var recorder = new RecordingSource();

        void Configure(ConfigurationManager configuration)
        {
            // The test machine's variables (a developer's Encryption__…, say) must not make a manifest look complete.
            foreach (var source in configuration.Sources.OfType<EnvironmentVariablesConfigurationSource>().ToList())
            {
                configuration.Sources.Remove(source);
            }

            configuration.AddInMemoryCollection(settings);
            configuration.Sources.Add(recorder);
        }

        var source = Path.Combine(Manifests.RepositoryRoot, "src");
        var app = container.Host switch
        {
            WoningPasHost.Api => ApiApp.Build(
                new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = Path.Combine(source, "WoningPas.Api") },
                builder => Configure(builder.Configuration)),
            WoningPasHost.Web => WebApp.Build(
                new WebApplicationOptions
                {
                    EnvironmentName = environment,
                    ContentRootPath = Path.Combine(source, "WoningPas.Web"),
                    WebRootPath = Path.Combine(source, "WoningPas.Web", "wwwroot"),
                },
                settings: Configure),
            _ => throw new ArgumentException($"{container} runs no web host.", nameof(container)),
        };

        var failures = new List<string>();
        try
        {
            // Binds and validates every options type registered with ValidateOnStart, as the host does at start.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception exception) when (exception is OptionsValidationException or AggregateException)
        {
            failures.AddRange(exception is AggregateException aggregate
                ? aggregate.Flatten().InnerExceptions.SelectMany(FailuresOf)
                : FailuresOf(exception));
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }

        return new HostContract(recorder.Keys(), failures);
    }

    private static IEnumerable<string> FailuresOf(Exception exception) =>
        exception is OptionsValidationException validation
            ? validation.Failures.Select(f => $"{validation.OptionsType.Name}[{validation.OptionsName}]: {f}")
            : [exception.Message];

    /// <summary>Answers nothing and remembers every key and section it was asked about.</summary>
    private sealed class RecordingSource : IConfigurationSource
    {
        private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

        public IReadOnlySet<string> Keys()
        {
            lock (_keys)
            {
                return new HashSet<string>(_keys, StringComparer.OrdinalIgnoreCase);
            }
        }

        private void Note(string key)
        {
            lock (_keys)
            {
                _keys.Add(key);
            }
        }

        private sealed class Provider(RecordingSource source) : ConfigurationProvider
        {
            public override bool TryGet(string key, out string? value)
            {
                source.Note(key);
                value = null;
                return false;
            }
        }
    }
}
