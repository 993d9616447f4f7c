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
    /// Every <c>Encryption__…</c> environment variable <see cref="FromEnvironment()"/> reads, so that a deployment's
    /// settings can be checked against what the tools actually read (tests/WoningPas.Deploy.Tests).
    /// </summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } =
    [
        Variable(nameof(Provider)),
        Variable(nameof(DevelopmentKeyFile)),
        Variable(nameof(Pkcs11), nameof(Pkcs11Settings.LibraryPath)),
        Variable(nameof(Pkcs11), nameof(Pkcs11Settings.TokenLabel)),
        Variable(nameof(Pkcs11), nameof(Pkcs11Settings.Pin)),
        Variable(nameof(Pkcs11), nameof(Pkcs11Settings.KeyLabel)),
        Variable(nameof(Pkcs11), nameof(Pkcs11Settings.CreateKeyIfMissing)),
    ];

    /// <summary>
    /// The settings from <c>Encryption__…</c> environment variables, for the tools that have no configuration system
    /// (CLI, local run, benchmarks); the Api binds the same section from its configuration.
    /// </summary>
    public static EncryptionSettings FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>The settings from variables looked up by <paramref name="variable"/> (the process's, or a manifest's).</summary>
    public static EncryptionSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var settings = new EncryptionSettings
        {
            DevelopmentKeyFile = variable(Variable(nameof(DevelopmentKeyFile))),
            Pkcs11 = new Pkcs11Settings
            {
                LibraryPath = variable(Variable(nameof(Pkcs11), nameof(Pkcs11Settings.LibraryPath))),
                TokenLabel = variable(Variable(nameof(Pkcs11), nameof(Pkcs11Settings.TokenLabel))),
                Pin = variable(Variable(nameof(Pkcs11), nameof(Pkcs11Settings.Pin))),
                CreateKeyIfMissing = bool.TryParse(variable(Variable(nameof(Pkcs11), nameof(Pkcs11Settings.CreateKeyIfMissing))), out var create) && create,
            },
        };
        if (variable(Variable(nameof(Provider))) is { Length: > 0 } provider)
        {
            settings.Provider = provider;
        }

        if (variable(Variable(nameof(Pkcs11), nameof(Pkcs11Settings.KeyLabel))) is { Length: > 0 } label)
        {
            settings.Pkcs11.KeyLabel = label;
        }

        return settings;
    }

    private static string Variable(params string[] path) => SectionName + "__" + string.Join("__", path);

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
