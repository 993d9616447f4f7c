using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using WoningPas.Data.Encryption;

namespace WoningPas.Data.AccessLog;

/// <summary>
/// One anchored head of the access log: its newest entry's id and hash at a moment, authenticated with an HMAC under
/// the key ring's index key of <see cref="KeyVersion"/> (purpose <see cref="AccessLogAnchors.Purpose"/>), so that
/// nobody without the key-encryption key can write an anchor that describes a shortened log.
/// </summary>
public sealed record AccessLogAnchor(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("lastId")] long LastId,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("anchoredAt")] string AnchoredAt,
    [property: JsonPropertyName("keyVersion")] int KeyVersion,
    [property: JsonPropertyName("mac")] string Mac)
{
    /// <summary>The bytes the MAC covers: every field but the MAC, in a fixed order.</summary>
    public string Canonical() =>
        string.Create(CultureInfo.InvariantCulture, $"{Format}|{LastId}|{Hash}|{AnchoredAt}|{KeyVersion}");
}

/// <summary>
/// What checking the anchors found; <see cref="Problem"/> is null when every anchored head is in the chain.
/// <see cref="Newest"/> is the newest anchor whose MAC verified: the only kind trusted as a starting point.
/// </summary>
public sealed record AnchorCheck(int Anchors, int Unverifiable, AccessLogAnchor? Newest, string? Problem)
{
    public bool Holds => Problem is null;
}

/// <summary>A newly written anchor and how many entries were verified to get there.</summary>
public sealed record AnchorWritten(AccessLogAnchor Anchor, long EntriesVerified);

/// <summary>Why an anchor was not written: the store or the chain does not hold.</summary>
public sealed class AnchorException(string message) : Exception(message);

/// <summary>
/// Anchors the access log outside the database. The hash chain shows a changed, inserted or removed entry, but not
/// entries cut off at the end: the shortened chain is still a valid chain. Each anchor appends the current head (last
/// id, hash, time) as one JSON line to a store the database owner cannot rewrite (a WORM bucket or an append-only
/// file in production); verify-audit then requires every anchored head to still be in the chain with the same hash.
/// </summary>
public static class AccessLogAnchors
{
    public const string Purpose = "access_log.anchor";
    public const int CurrentFormat = 1;

    /// <summary>
    /// Verifies the store and the chain since the newest anchor, then appends the current head. Refuses (and writes
    /// nothing) when an anchor was altered, an anchored head is gone, or the chain since it is broken: an anchor must
    /// never bless a log that was already tampered with.
    /// </summary>
    public static async Task<AnchorWritten> AnchorAsync(WoningPasDbContext db, KeyRing ring, string path, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(time);
        var anchors = File.Exists(path) ? await ReadAsync(path, cancellationToken) : [];
        var check = await CheckAsync(db, ring, anchors, cancellationToken);
        if (!check.Holds)
        {
            throw new AnchorException(check.Problem!);
        }

        var from = check.Newest;
        var chain = await AccessLogVerifier.VerifyFromAsync(db, from?.LastId,
            from is null ? AccessLogChain.Genesis : Convert.FromHexString(from.Hash), null, cancellationToken);
        if (!chain.IsIntact)
        {
            throw new AnchorException($"Not anchored: the chain is broken at entry {chain.BrokenAtId}: {chain.Problem}.");
        }

        var head = await db.AccessLog.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new AnchorException("Not anchored: the access log is empty.");
        var unsigned = new AccessLogAnchor(CurrentFormat, head.Id, Convert.ToHexStringLower(head.Hash),
            time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture), ring.ActiveVersion, "");
        var anchor = unsigned with { Mac = Convert.ToHexStringLower(ring.BlindIndex(Purpose, unsigned.Canonical())) };
        await AppendAsync(path, anchor, cancellationToken);
        return new AnchorWritten(anchor, chain.EntriesChecked);
    }

    /// <summary>Checks every anchor in the store at <paramref name="path"/> against the log; a missing store is a finding.</summary>
    public static async Task<AnchorCheck> CheckAsync(WoningPasDbContext db, KeyRing ring, string path,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return new AnchorCheck(0, 0, null, $"the anchor store {path} does not exist (removed, or the wrong path)");
        }

        try
        {
            return await CheckAsync(db, ring, await ReadAsync(path, cancellationToken), cancellationToken);
        }
        catch (AnchorException exception)
        {
            return new AnchorCheck(0, 0, null, exception.Message);
        }
    }

    private static async Task<AnchorCheck> CheckAsync(WoningPasDbContext db, KeyRing ring, List<AccessLogAnchor> anchors,
        CancellationToken cancellationToken)
    {
        var unverifiable = 0;
        AccessLogAnchor? newestVerified = null;
        for (var i = 0; i < anchors.Count; i++)
        {
            var anchor = anchors[i];
            var known = ring.TryBlindIndex(anchor.KeyVersion, Purpose, anchor.Canonical(), out var mac);
            if (!known && ring.DestroyedVersions.Contains(anchor.KeyVersion))
            {
                // Its key version was destroyed: the head is still compared with the chain, only its origin is unproven.
                unverifiable++;
                continue;
            }

            if (!known || !CryptographicOperations.FixedTimeEquals(mac, HexOrEmpty(anchor.Mac)))
            {
                return new AnchorCheck(anchors.Count, unverifiable, null,
                    $"anchor {i + 1} of the store (entry {anchor.LastId}) was altered or not written by WoningPas: its MAC does not verify");
            }

            if (newestVerified is null || anchor.LastId > newestVerified.LastId)
            {
                newestVerified = anchor;
            }
        }

        var stored = await HashesAsync(db, anchors.Select(a => a.LastId).Distinct().ToArray(), cancellationToken);
        var last = await db.AccessLog.AsNoTracking().MaxAsync(e => (long?)e.Id, cancellationToken);
        foreach (var anchor in anchors)
        {
            if (!stored.TryGetValue(anchor.LastId, out var hash))
            {
                return new AnchorCheck(anchors.Count, unverifiable, null, string.Create(CultureInfo.InvariantCulture,
                    $"entry {anchor.LastId}, anchored at {anchor.AnchoredAt}, is no longer in the log (which now ends at {(last is null ? "no entry" : $"entry {last}")}): entries were cut off or removed"));
            }

            if (!string.Equals(Convert.ToHexStringLower(hash), anchor.Hash, StringComparison.Ordinal))
            {
                return new AnchorCheck(anchors.Count, unverifiable, null, string.Create(CultureInfo.InvariantCulture,
                    $"entry {anchor.LastId} no longer has the hash anchored at {anchor.AnchoredAt}: the log up to it was rewritten"));
            }
        }

        return new AnchorCheck(anchors.Count, unverifiable, newestVerified, null);
    }

    private static async Task<Dictionary<long, byte[]>> HashesAsync(WoningPasDbContext db, long[] ids,
        CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<long, byte[]>();
        // A year of anchors every few minutes is ~10⁵ ids: asked in slices rather than one huge array.
        foreach (var slice in ids.Chunk(10_000))
        {
            var rows = await db.AccessLog.AsNoTracking().Where(e => slice.Contains(e.Id)).Select(e => new { e.Id, e.Hash })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                hashes[row.Id] = row.Hash;
            }
        }

        return hashes;
    }

    private static async Task<List<AccessLogAnchor>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var anchors = new List<AccessLogAnchor>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            AccessLogAnchor? anchor;
            try
            {
                anchor = JsonSerializer.Deserialize<AccessLogAnchor>(line);
            }
            catch (JsonException)
            {
                anchor = null;
            }

            if (anchor is null || anchor.Format != CurrentFormat || anchor.Hash is null || anchor.Mac is null || anchor.AnchoredAt is null)
            {
                throw new AnchorException(string.Create(CultureInfo.InvariantCulture,
                    $"line {number} of the anchor store {path} is not an anchor"));
            }

            anchors.Add(anchor);
        }

        return anchors;
    }

    /// <summary>One line, appended and flushed to the disk before the command reports success.</summary>
    private static async Task AppendAsync(string path, AccessLogAnchor anchor, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(anchor) + "\n");
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        await stream.WriteAsync(line, cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    private static byte[] HexOrEmpty(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
