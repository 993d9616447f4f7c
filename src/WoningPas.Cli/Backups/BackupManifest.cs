using System.Text.Json;
using System.Text.Json.Serialization;

namespace WoningPas.Cli.Backups;

/// <summary>
/// manifest.json next to each generation's dump: enough to check the file before trusting it (size, SHA-256 of the
/// stored bytes) and to check a restore afterwards (schema version, row count of every table).
/// </summary>
internal sealed record BackupManifest
{
    public const string CurrentFormat = "woningpas-backup/1";
    public const string FileName = "manifest.json";

    public string Format { get; init; } = CurrentFormat;

    public required string Generation { get; init; }

    /// <summary>Bound into every encrypted chunk, so one generation's file cannot pass for another's.</summary>
    public Guid BackupId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The stored file, relative to the generation's directory.</summary>
    public required string File { get; init; }

    public string Method { get; init; } = "pg_dump --format=custom";

    public required long SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file as stored (after encryption, when there is any).</summary>
    public required string Sha256 { get; init; }

    /// <summary>Null only for a generation taken before backups were encrypted (rotate-keys encrypts it).</summary>
    public BackupEncryptionInfo? Encryption { get; init; }

    /// <summary>Size and lower-case hex SHA-256 of the plain pg_dump archive, checked again after every decryption.</summary>
    public long? PlainSizeBytes { get; init; }

    public string? PlainSha256 { get; init; }

    /// <summary>The last applied migration.</summary>
    public required string SchemaVersion { get; init; }

    public required string ServerVersion { get; init; }

    public required SortedDictionary<string, long> RowCounts { get; init; }

    /// <summary>When a restore into a scratch database last proved this generation; null until then.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>When rotate-keys last re-encrypted this generation under a new key version; null if never.</summary>
    public DateTimeOffset? ReEncryptedAt { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<BackupManifest> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!System.IO.File.Exists(path))
        {
            throw new BackupException($"Refused: generation {Path.GetFileName(directory)} has no {FileName}.");
        }

        try
        {
            await using var stream = System.IO.File.OpenRead(path);
            var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, cancellationToken);
            return manifest is { Format: CurrentFormat } ? manifest
                : throw new BackupException($"Refused: {path} is not a {CurrentFormat} manifest.");
        }
        catch (JsonException exception)
        {
            throw new BackupException($"Refused: {path} is damaged ({exception.Message}).");
        }
    }

    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        await using (var stream = System.IO.File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
        }

        System.IO.File.Move(temporary, path, overwrite: true);
    }
}

internal sealed record BackupEncryptionInfo(string Algorithm, int KeyVersion);
