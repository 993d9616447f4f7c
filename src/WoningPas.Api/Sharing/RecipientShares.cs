using WoningPas.Data.Encryption;
using WoningPas.Data.Sharing;

namespace WoningPas.Api.Sharing;

/// <summary>
/// Finds the shares made out to a signed-in person's verified e-mail: through the keyed blind index under every key
/// version the host's ring holds, never a clear address (there is none).
/// </summary>
public static class RecipientShares
{
    /// <summary>
    /// Runs <paramref name="query"/> with the address's blind indexes; when it finds nothing and the database has key
    /// versions the cached ring does not reflect (a rotation finished since it was loaded), once more with a fresh ring,
    /// so that a rotation cannot hide a share from its recipient for the minute the cache lives.
    /// </summary>
    public static async Task<List<T>> FindAsync<T>(KeyRingCache keys, string email, Func<List<byte[]>, Task<List<T>>> query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(query);
        var ring = await keys.GetAsync(cancellationToken);
        var found = await query(ring.RecipientIndexes(email));
        if (found.Count > 0)
        {
            return found;
        }

        var current = await keys.CurrentAsync(cancellationToken);
        return ReferenceEquals(current, ring) ? found : await query(current.RecipientIndexes(email));
    }
}
