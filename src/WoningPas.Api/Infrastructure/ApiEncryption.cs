using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WoningPas.Data.Encryption;

namespace WoningPas.Api.Infrastructure;

/// <summary>
/// Encryption at rest: the key-encryption key from section <c>Encryption</c> (validated at start: a key file outside
/// Development stops the host) and the key ring every personal read and write goes through.
/// </summary>
public static class ApiEncryption
{
    public static WebApplicationBuilder AddApiEncryption(this WebApplicationBuilder builder)
    {
        var environment = builder.Environment.EnvironmentName;
        builder.Services.AddOptions<EncryptionSettings>().BindConfiguration(EncryptionSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EncryptionSettings>>(new SettingsValidation(environment));
        builder.Services.AddSingleton(services =>
            KeyEncryptionKeys.Create(services.GetRequiredService<IOptions<EncryptionSettings>>().Value, environment));
        builder.Services.AddSingleton(services => new KeyRingCache(
            services.GetRequiredService<IOptions<DatabaseSettings>>().Value.WoningPas!,
            services.GetRequiredService<IKeyEncryptionKey>(),
            services.GetRequiredService<TimeProvider>()));
        // Ready only when the token answers and the data keys unwrap: without them no personal value can be read.
        builder.Services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("encryption-keys", tags: ["ready"]);
        return builder;
    }

    private sealed class KeyRingHealthCheck(KeyRingCache keys) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
            CancellationToken cancellationToken = default)
        {
            try
            {
                await keys.GetAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.Security.Cryptography.CryptographicException or Net.Pkcs11Interop.Common.Pkcs11Exception)
            {
                return HealthCheckResult.Unhealthy("The data keys cannot be unwrapped: is the PKCS#11 token reachable?");
            }
        }
    }

    private sealed class SettingsValidation(string environment) : IValidateOptions<EncryptionSettings>
    {
        public ValidateOptionsResult Validate(string? name, EncryptionSettings options) =>
            options.Problems(environment) is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
