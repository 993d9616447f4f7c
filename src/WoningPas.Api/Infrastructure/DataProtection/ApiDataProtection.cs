using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using WoningPas.Data.Encryption;

namespace WoningPas.Api.Infrastructure.DataProtection;

/// <summary>
/// One Data Protection key ring for all Api replicas: keys in <c>data_protection_keys</c>, their secrets wrapped by
/// the KEK. Without it each replica had a key ring of its own, so a session cookie or antiforgery token made by one
/// replica was refused by the next.
/// </summary>
public static class ApiDataProtection
{
    /// <summary>Fixed, not the content root: the purpose strings of every replica must match wherever it is installed.</summary>
    public const string ApplicationName = "WoningPas.Api";

    public static WebApplicationBuilder AddApiDataProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options =>
            {
                options.XmlRepository = new DatabaseXmlRepository(
                    services.GetRequiredService<IOptions<DatabaseSettings>>().Value.WoningPas!);
                options.XmlEncryptor = new KekXmlEncryptor(services.GetRequiredService<IKeyEncryptionKey>());
            }));
        builder.Services.AddHostedService<KeyRingCheck>();
        return builder;
    }

    /// <summary>
    /// Decrypts every stored key before the host serves. Data Protection itself skips a key it cannot decrypt and
    /// quietly makes a new one, which would sign everybody out and hide an altered row or a wrong KEK; the host
    /// refuses to start instead, with the decryptor's reason.
    /// </summary>
    private sealed class KeyRingCheck(IKeyManager keys) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var key in keys.GetAllKeys())
            {
                try
                {
                    _ = key.Descriptor;
                }
                catch (Exception exception)
                {
                    throw new InvalidOperationException(
                        $"Data Protection key {key.KeyId} in data_protection_keys cannot be read: {exception.Message}", exception);
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
