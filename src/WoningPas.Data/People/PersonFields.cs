using Microsoft.EntityFrameworkCore;
using WoningPas.Data.Encryption;
using WoningPas.Domain;

namespace WoningPas.Data.People;

/// <summary>Encrypts, decrypts and finds people: the one place that knows how their personal columns are stored.</summary>
public static class PersonFields
{
    public const string Table = "people";
    public const string InszColumn = "insz";
    public const string DisplayNameColumn = "display_name";
    public const string InszIndexColumn = "insz_index";

    /// <summary>Domain separation of the INSZ blind index; the input is always the 11 digits of a parsed <see cref="Insz"/>.</summary>
    public const string InszIndexPurpose = "people.insz";

    public static Person Create(KeyRing ring, Guid id, Insz insz, string displayName)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return new Person
        {
            Id = id,
            EncryptedInsz = ring.Encrypt(insz.Value, new FieldAddress(Table, InszColumn, id)),
            InszIndex = ring.BlindIndex(InszIndexPurpose, insz.Value),
            EncryptedDisplayName = ring.Encrypt(displayName, new FieldAddress(Table, DisplayNameColumn, id)),
        };
    }

    public static string DisplayName(this KeyRing ring, Person person)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(person);
        return ring.Decrypt(person.EncryptedDisplayName, new FieldAddress(Table, DisplayNameColumn, person.Id));
    }

    public static Insz Insz(this KeyRing ring, Person person)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(person);
        return Domain.Insz.Parse(ring.Decrypt(person.EncryptedInsz, new FieldAddress(Table, InszColumn, person.Id)));
    }

    /// <summary>
    /// The person with this INSZ, through the blind index under every key version still in use (so that a lookup
    /// during a rotation finds rows on either side of it). Any accepted form of the number finds the same person,
    /// since <see cref="Domain.Insz"/> normalises to 11 digits.
    /// </summary>
    public static Task<Person?> FindByInszAsync(this IQueryable<Person> people, KeyRing ring, Insz insz,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var indexes = ring.BlindIndexes(InszIndexPurpose, insz.Value);
        return people.FirstOrDefaultAsync(p => indexes.Contains(p.InszIndex), cancellationToken);
    }
}
