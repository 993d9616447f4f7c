using System.Security.Cryptography;

namespace WoningPas.Cli.Exit;

/// <summary>
/// The recipient of an export (the next provider, or the government's own escrow) holds an RSA key pair; the export's
/// AES-256 key travels wrapped with RSA-OAEP-SHA256 for its public key, so only the private key opens it.
/// </summary>
internal static class RecipientKey
{
    public const int MinimumBits = 3072;
    public const string PublicFile = "recipient-public.pem";
    public const string PrivateFile = "recipient-private.pem";

    public static (string PublicPath, string PrivatePath) Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        var publicPath = Path.Combine(directory, PublicFile);
        var privatePath = Path.Combine(directory, PrivateFile);
        if (File.Exists(publicPath) || File.Exists(privatePath))
        {
            throw new ExitException($"{directory} already holds a key pair; it is not overwritten.");
        }

        using var rsa = RSA.Create(4096);
        File.WriteAllText(publicPath, rsa.ExportSubjectPublicKeyInfoPem());
        // The private key is readable by its owner only, from the moment it exists.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(privatePath, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(rsa.ExportPkcs8PrivateKeyPem());
        }

        return (publicPath, privatePath);
    }

    public static RSA Load(string path, bool requirePrivate)
    {
        if (!File.Exists(path))
        {
            throw new ExitException($"No key file at {path}.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException exception)
        {
            rsa.Dispose();
            throw new ExitException($"{path} holds no RSA key in PEM form ({exception.Message}).");
        }

        if (rsa.KeySize < MinimumBits)
        {
            rsa.Dispose();
            throw new ExitException($"The key in {path} has {rsa.KeySize} bits; at least {MinimumBits} are required.");
        }

        if (requirePrivate)
        {
            try
            {
                rsa.ExportRSAPrivateKey();
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
                throw new ExitException($"{path} holds a public key; the import needs the recipient's private key.");
            }
        }

        return rsa;
    }

    /// <summary>SHA-256 of the public key (SubjectPublicKeyInfo): names the recipient in the manifest.</summary>
    public static string Fingerprint(RSA rsa) => Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
}
