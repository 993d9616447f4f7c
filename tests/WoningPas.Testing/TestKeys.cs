using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WoningPas.Data.Encryption;

namespace WoningPas.Testing;

/// <summary>
/// A throwaway SoftHSM2 token per test process, holding a freshly generated key-encryption key, so that every test
/// runs against a real PKCS#11 module. The token lives in a temp directory with its own SOFTHSM2_CONF (set for the
/// whole process before the module is first loaded) and is deleted at exit. The Encryption__… variables are set too,
/// so that hosts started in-process (the DevStack) find the same token.
/// </summary>
public static partial class TestKeys
{
    public const string TokenLabel = "woningpas-test";

    private static readonly Lazy<EncryptionSettings> Shared = new(CreateToken);
    private static readonly Lazy<IKeyEncryptionKey> SharedKek =
        new(() => KeyEncryptionKeys.Create(Shared.Value, "Production"));

    public static EncryptionSettings Settings => Shared.Value;

    public static IKeyEncryptionKey Kek => SharedKek.Value;

    /// <summary>The settings as configuration keys, for hosts.</summary>
    public static IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Encryption:Provider"] = Settings.Provider,
        ["Encryption:Pkcs11:LibraryPath"] = Settings.Pkcs11.LibraryPath,
        ["Encryption:Pkcs11:TokenLabel"] = Settings.Pkcs11.TokenLabel,
        ["Encryption:Pkcs11:Pin"] = Settings.Pkcs11.Pin,
        ["Encryption:Pkcs11:KeyLabel"] = Settings.Pkcs11.KeyLabel,
    };

    /// <summary>The PKCS#11 module of SoftHSM2 (Debian puts it in one of two places), or WONINGPAS_PKCS11_MODULE.</summary>
    public static string ModulePath() =>
        new[]
        {
            Environment.GetEnvironmentVariable("WONINGPAS_PKCS11_MODULE"),
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("SoftHSM2 is not installed: `./build.sh test` installs it (Debian package softhsm2).");

    private static EncryptionSettings CreateToken()
    {
        var directory = Path.Combine(Path.GetTempPath(), "woningpas-test-hsm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "tokens"));
        var configuration = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(configuration,
            $"directories.tokendir = {Path.Combine(directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // SoftHSM reads the variable with getenv(3), which does not see .NET's copy of the environment.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", configuration);
        if (SetNativeEnvironmentVariable("SOFTHSM2_CONF", configuration, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);

        var pin = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        Run("softhsm2-util", "--init-token", "--free", "--label", TokenLabel,
            "--so-pin", Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), "--pin", pin);
        var settings = new EncryptionSettings
        {
            Provider = EncryptionSettings.Pkcs11Provider,
            Pkcs11 = new Pkcs11Settings { LibraryPath = ModulePath(), TokenLabel = TokenLabel, Pin = pin },
        };
        new Pkcs11KeyEncryptionKey(settings.Pkcs11).CreateKey();

        Environment.SetEnvironmentVariable("Encryption__Provider", settings.Provider);
        Environment.SetEnvironmentVariable("Encryption__Pkcs11__LibraryPath", settings.Pkcs11.LibraryPath);
        Environment.SetEnvironmentVariable("Encryption__Pkcs11__TokenLabel", settings.Pkcs11.TokenLabel);
        Environment.SetEnvironmentVariable("Encryption__Pkcs11__Pin", settings.Pkcs11.Pin);
        return settings;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironmentVariable(string name, string value, int overwrite);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{program} did not start: is softhsm2 installed?");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error}");
        }
    }
}
