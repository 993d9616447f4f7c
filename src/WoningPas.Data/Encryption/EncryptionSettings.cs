namespace WoningPas.Data.Encryption;

/// <summary>
/// Where the key-encryption key (KEK) lives. Section <c>Encryption</c>. The KEK itself is never configuration: only
/// how to reach the token that holds it (and, in Development only, a key file).
/// </summary>
public sealed class EncryptionSettings
{
    public const string SectionName = "Encryption";
    public const string Pkcs11Provider = "Pkcs11";
    public const string FileProvider = "File";

    /// <summary><c>Pkcs11</c> (a hardware or software token) or <c>File</c> (Development only).</summary>
    public string Provider { get; set; } = Pkcs11Provider;

    public Pkcs11Settings Pkcs11 { get; set; } = new();

    /// <summary>Development only: a file with a 256-bit KEK, created when missing.</summary>
    public string? DevelopmentKeyFile { get; set; }

    /// <summary>
    /// The settings from <c>Encryption__…</c> environment variables, for the tools that have no configuration system
    /// (CLI, local run, benchmarks); the Api binds the same section from its configuration.
    /// </summary>
    public static EncryptionSettings FromEnvironment()
    {
        static string? Variable(string name) => Environment.GetEnvironmentVariable("Encryption__" + name);
        var settings = new EncryptionSettings
        {
            DevelopmentKeyFile = Variable("DevelopmentKeyFile"),
            Pkcs11 = new Pkcs11Settings
            {
                LibraryPath = Variable("Pkcs11__LibraryPath"),
                TokenLabel = Variable("Pkcs11__TokenLabel"),
                Pin = Variable("Pkcs11__Pin"),
                CreateKeyIfMissing = bool.TryParse(Variable("Pkcs11__CreateKeyIfMissing"), out var create) && create,
            },
        };
        if (Variable("Provider") is { Length: > 0 } provider)
        {
            settings.Provider = provider;
        }

        if (Variable("Pkcs11__KeyLabel") is { Length: > 0 } label)
        {
            settings.Pkcs11.KeyLabel = label;
        }

        return settings;
    }

    /// <summary>
    /// Every reason the settings cannot be used in <paramref name="environmentName"/>, each naming the setting; empty
    /// when they can.
    /// </summary>
    public IReadOnlyList<string> Problems(string environmentName)
    {
        var development = string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase);
        var problems = new List<string>();
        if (Provider == FileProvider)
        {
            if (!development)
            {
                problems.Add($"Encryption:Provider=File keeps the key-encryption key in a file, which is allowed only in Development (this is {environmentName}); use a PKCS#11 token (Encryption:Pkcs11).");
            }

            if (string.IsNullOrWhiteSpace(DevelopmentKeyFile))
            {
                problems.Add("Encryption:DevelopmentKeyFile is required with Encryption:Provider=File.");
            }

            return problems;
        }

        if (Provider != Pkcs11Provider)
        {
            problems.Add($"Encryption:Provider must be {Pkcs11Provider} or {FileProvider}.");
            return problems;
        }

        if (string.IsNullOrWhiteSpace(Pkcs11.LibraryPath))
        {
            problems.Add("Encryption:Pkcs11:LibraryPath is required: the PKCS#11 module of the token (for SoftHSM2 /usr/lib/softhsm/libsofthsm2.so).");
        }

        if (string.IsNullOrWhiteSpace(Pkcs11.TokenLabel))
        {
            problems.Add("Encryption:Pkcs11:TokenLabel is required: the label of the token that holds the key-encryption key.");
        }

        if (string.IsNullOrEmpty(Pkcs11.Pin))
        {
            problems.Add("Encryption:Pkcs11:Pin is required: the user PIN of the token.");
        }

        if (string.IsNullOrWhiteSpace(Pkcs11.KeyLabel))
        {
            problems.Add("Encryption:Pkcs11:KeyLabel is required: the label of the AES key in the token.");
        }

        if (Pkcs11.CreateKeyIfMissing && !development)
        {
            problems.Add($"Encryption:Pkcs11:CreateKeyIfMissing is allowed only in Development (this is {environmentName}): elsewhere the key-encryption key is made in a key ceremony (`woningpas create-kek`).");
        }

        return problems;
    }
}

public sealed class Pkcs11Settings
{
    public string? LibraryPath { get; set; }

    public string? TokenLabel { get; set; }

    public string? Pin { get; set; }

    public string KeyLabel { get; set; } = "woningpas-kek";

    /// <summary>Development only: generate the KEK inside the token on first use.</summary>
    public bool CreateKeyIfMissing { get; set; }
}
