using System.Globalization;
using System.Security.Cryptography;

namespace WoningPas.Cli.Backups;

/// <summary>
/// The backup directory: one sub-directory per generation, named by its UTC creation time so that names sort by
/// age. A generation being written is <c>NAME.partial</c> and one that failed verification <c>NAME.failed</c>;
/// neither counts as a generation.
/// </summary>
internal sealed class BackupStore(string directory)
{
    public const int Generations = 3;
    public const string PartialSuffix = ".partial";
    public const string FailedSuffix = ".failed";

    public string Directory { get; } = Path.GetFullPath(directory);

    public static string NewGenerationName(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Complete generations, newest first.</summary>
    public List<string> List() =>
        !System.IO.Directory.Exists(Directory) ? []
            : [.. System.IO.Directory.GetDirectories(Directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !name.EndsWith(PartialSuffix, StringComparison.Ordinal)
                    && !name.EndsWith(FailedSuffix, StringComparison.Ordinal)
                    && File.Exists(Path.Combine(Directory, name, BackupManifest.FileName)))
                .OrderDescending(StringComparer.Ordinal)];

    /// <summary>
    /// Every directory that holds a manifest, failed generations included: each holds a copy of the data, so key
    /// rotation re-encrypts it and destroy-key counts it.
    /// </summary>
    public List<string> AllWithManifest() =>
        !System.IO.Directory.Exists(Directory) ? []
            : [.. System.IO.Directory.GetDirectories(Directory)
                .Where(path => !path.EndsWith(PartialSuffix, StringComparison.Ordinal)
                    && File.Exists(Path.Combine(path, BackupManifest.FileName)))
                .Order(StringComparer.Ordinal)];

    public string PathOf(string generation)
    {
        if (generation.Length == 0 || generation.IndexOfAny([.. Path.GetInvalidFileNameChars(), '.']) >= 0)
        {
            throw new BackupException($"'{generation}' is not a generation name.");
        }

        return Path.Combine(Directory, generation);
    }

    /// <summary>The newest generation, or the named one.</summary>
    public string Resolve(string? generation)
    {
        if (generation is not null)
        {
            var path = PathOf(generation);
            return System.IO.Directory.Exists(path) ? path
                : throw new BackupException($"No generation {generation} in {Directory}. There are: {string.Join(", ", List())}.");
        }

        var newest = List().FirstOrDefault()
            ?? throw new BackupException($"No backup generation in {Directory}; run ./build.sh cli backup first.");
        return Path.Combine(Directory, newest);
    }

    /// <summary>Leaves the newest <see cref="Generations"/> generations and deletes the rest; returns what it deleted.</summary>
    public List<string> Prune()
    {
        var stale = List().Skip(Generations).ToList();
        foreach (var generation in stale)
        {
            System.IO.Directory.Delete(Path.Combine(Directory, generation), recursive: true);
        }

        return stale;
    }

    /// <summary>Leftovers of a backup that was interrupted: never a generation, safe to remove before a new one.</summary>
    public void RemovePartials()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var partial in System.IO.Directory.GetDirectories(Directory, "*" + PartialSuffix))
        {
            System.IO.Directory.Delete(partial, recursive: true);
        }
    }

    public static async Task<(long Size, string Sha256)> MeasureAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20,
            FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}
