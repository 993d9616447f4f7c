using System.Security.Cryptography;
using System.Text.Json;

namespace WoningPas.Cli.Exit;

/// <summary>
/// manifest.json of an export: what is in it (one JSON Lines file per table, in load order, with row count and
/// SHA-256 of the plain JSON Lines) and how to open it (the AES-256 key wrapped for the recipient's RSA key).
/// manifest.seal holds an AES-GCM tag over the manifest's bytes under that key, so an edited manifest is refused.
/// </summary>
internal sealed record ExportManifest
{
    public const string CurrentFormat = "woningpas-export/1";
    public const string FileName = "manifest.json";
    public const string SealFileName = "manifest.seal";

    public string Format { get; init; } = CurrentFormat;

    public required string ExportId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last applied migration of the source: the import refuses a target on another version.</summary>
    public required string SchemaVersion { get; init; }

    public string Cipher { get; init; } = "AES-256-GCM, 1 MiB segments";

    public string KeyWrap { get; init; } = "RSA-OAEP-SHA256";

    public required string RecipientKeySha256 { get; init; }

    public required string WrappedKey { get; init; }

    public required List<ExportFile> Files { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>One line per value: the header line of a JSON Lines file.</summary>
    internal static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web);

    public async Task WriteAsync(string directory, byte[] key, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        await File.WriteAllBytesAsync(Path.Combine(directory, FileName), bytes, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, SealFileName), Seal(bytes, key), cancellationToken);
    }

    /// <summary>Reads the manifest without trusting it yet: <see cref="CheckSeal"/> once the key is unwrapped.</summary>
    public static async Task<(ExportManifest Manifest, byte[] Bytes)> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ExitException($"{directory} holds no export ({FileName} is missing).");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            var manifest = JsonSerializer.Deserialize<ExportManifest>(bytes, Json);
            return manifest is { Format: CurrentFormat } ? (manifest, bytes)
                : throw new ExitException($"{path} is not a {CurrentFormat} manifest.");
        }
        catch (JsonException exception)
        {
            throw new ExitException($"{path} is damaged ({exception.Message}).");
        }
    }

    public static void CheckSeal(string directory, byte[] manifestBytes, byte[] key)
    {
        var path = Path.Combine(directory, SealFileName);
        var expected = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        var sealBytes = Convert.FromBase64String(expected.Length == 0 ? "" : expected);
        if (sealBytes.Length != 28)
        {
            throw new ExitException($"{SealFileName} is missing or damaged: the manifest cannot be trusted.");
        }

        using var aes = new AesGcm(key, 16);
        try
        {
            aes.Decrypt(sealBytes.AsSpan(0, 12), ReadOnlySpan<byte>.Empty, sealBytes.AsSpan(12), Span<byte>.Empty, manifestBytes);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ExitException($"{FileName} was altered after the export (its seal does not match).");
        }
    }

    private static string Seal(byte[] manifestBytes, byte[] key)
    {
        using var aes = new AesGcm(key, 16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        aes.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, manifestBytes);
        return Convert.ToBase64String([.. nonce, .. tag]);
    }
}

/// <summary>
/// One table's file: Entity is the table's database name; Sha256 the lower-case hex SHA-256 of the plain JSON Lines
/// (header line included), so equal data gives an equal sum whatever the encryption; SealedBytes the encrypted size.
/// </summary>
internal sealed record ExportFile(string Entity, string File, long Rows, string Sha256, long SealedBytes);

/// <summary>The first line of every JSON Lines file: what the rows are and under which schema they were written.</summary>
/// <summary><paramref name="Layout"/>: 1 for rows as stored, 2 for rows whose encrypted columns are written decrypted.</summary>
internal sealed record ExportFileHeader(string Format, string Entity, int Layout, string SchemaVersion, List<ExportColumn> Columns);

internal sealed record ExportColumn(string Name, string Type);
