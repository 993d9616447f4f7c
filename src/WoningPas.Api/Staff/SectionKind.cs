using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WoningPas.Data;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Staff;

public enum FieldFormat
{
    Text,
    Decimal,
    Date,
    YesNo,
}

/// <summary>
/// One value of a section as staff see it. <see cref="Editable"/> values are typed in (form field and JSON property of
/// the same name); the others follow from them by the Domain's rules and are only shown.
/// </summary>
public sealed record SectionField(string Name, string Label, FieldFormat Format, string? Hint = null,
    bool Editable = true, bool Required = true);

public sealed record FieldDifference(string Field, string From, string To);

/// <summary>One record of a section and the version token an editor must send back to change it.</summary>
public sealed record SectionState(Guid RecordId, uint Version, JsonObject Values);

/// <summary>
/// What differs between the sections the back office edits: which rows, which fields, how they are checked and
/// written. Everything else — concurrency, versions, undo, authorisation, the access log, the pages and the JSON API —
/// is one pipeline (<see cref="SectionEditor"/>, <see cref="StaffSectionEndpoints"/>, the Section pages). Values travel
/// as a JSON object keyed by field name: the API answers with it and a version row stores it (before and after).
/// </summary>
public abstract class SectionKind
{
    private static readonly CultureInfo Belgian = CultureInfo.GetCultureInfo("nl-BE");

    /// <summary>The section as the API spells it (epc, asbestos, ...).</summary>
    public abstract string Section { get; }

    /// <summary>Short Dutch name for headings and links: "EPC", "asbestinventarisattest".</summary>
    public abstract string Title { get; }

    /// <summary>The title with its article, for sentences: "het EPC", "de installatie".</summary>
    public virtual string Named => "het " + Title;

    /// <summary>
    /// One record per dwelling (the newest is the one the passport shows, and the short URL edits it), or several (a
    /// soil certificate per parcel, installations), each addressed by its id.
    /// </summary>
    public abstract bool SingleRecord { get; }

    public abstract IReadOnlyList<SectionField> Fields { get; }

    public IEnumerable<SectionField> EditableFields => Fields.Where(f => f.Editable);

    /// <summary>The field error when the source reference belongs to another record (the tables' unique index).</summary>
    public virtual string DuplicateReference => "Een ander attest heeft dit nummer al.";

    /// <summary>The record to change, tracked: the given one, or without an id the newest of a single-record section.</summary>
    public abstract Task<IEditableSection?> FindAsync(WoningPasDbContext db, Guid dwellingId, Guid? recordId,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<SectionState>> ListAsync(WoningPasDbContext db, Guid dwellingId,
        CancellationToken cancellationToken);

    public abstract JsonObject Read(IEditableSection record);

    public abstract void Apply(JsonObject values, IEditableSection record);

    /// <summary>
    /// Checks what an editor typed (a form or JSON, as text) field by field, with messages in Dutch keyed by field name;
    /// when valid, the complete values including the derived ones.
    /// </summary>
    public abstract JsonObject? Validate(IReadOnlyDictionary<string, string?> input, DateOnly today,
        Dictionary<string, string[]> errors);

    public SectionState StateOf(IEditableSection record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Version, Read(record));
    }

    /// <summary>The fields that differ, with the Dutch field name, the value in <paramref name="from"/> and in <paramref name="to"/>.</summary>
    public IReadOnlyList<FieldDifference> Differences(JsonObject from, JsonObject to) =>
    [
        .. Fields.Select(f => new FieldDifference(f.Label, Display(f, from), Display(f, to)))
            .Where(d => !string.Equals(d.From, d.To, StringComparison.Ordinal)),
    ];

    /// <summary>Only the typed-in fields: what an editor's refused input would have changed in the current values.</summary>
    public IReadOnlyList<FieldDifference> InputDifferences(JsonObject current, JsonObject input) =>
    [
        .. EditableFields.Select(f => new FieldDifference(f.Label, Display(f, current), Display(f, input)))
            .Where(d => !string.Equals(d.From, d.To, StringComparison.Ordinal)),
    ];

    /// <summary>A value as a person reads it (nl-BE).</summary>
    public static string Display(SectionField field, JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(values);
        var node = values[field.Name];
        if (node is null)
        {
            return "—";
        }

        return field.Format switch
        {
            FieldFormat.Decimal => Format(node.GetValue<decimal>()),
            FieldFormat.Date => Format(ParseDate(node.GetValue<string>())),
            FieldFormat.YesNo => node.GetValue<bool>() ? "ja" : "nee",
            _ => node.GetValue<string>(),
        };
    }

    /// <summary>A value as the form's input carries it (and as an editor types it back).</summary>
    public static string InputValue(SectionField field, JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(values);
        var node = values[field.Name];
        if (node is null)
        {
            return "";
        }

        return field.Format switch
        {
            FieldFormat.Decimal => Format(node.GetValue<decimal>()),
            FieldFormat.YesNo => node.GetValue<bool>() ? "true" : "false",
            _ => node.GetValue<string>(),
        };
    }

    public static string Format(decimal value) => value.ToString("0.#", Belgian);

    public static string Format(DateOnly value) => value.ToString("d MMMM yyyy", Belgian);

    /// <summary>Dates travel as ISO dates (yyyy-MM-dd), as the JSON API and the date input use them.</summary>
    public static string Iso(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) =>
        DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    protected static DateOnly? DateOf(JsonObject values, string field) =>
        values[field] is { } node ? ParseDate(node.GetValue<string>()) : null;
}

/// <summary>A section whose records are rows of <typeparamref name="TRecord"/>.</summary>
public abstract class SectionKind<TRecord> : SectionKind where TRecord : class, IEditableSection
{
    /// <summary>The rows the owning agency edits for a dwelling, newest first (the first is what the passport shows).</summary>
    protected abstract IQueryable<TRecord> Records(WoningPasDbContext db, Guid dwellingId);

    protected abstract JsonObject ValuesOf(TRecord record);

    protected abstract void ApplyTo(JsonObject values, TRecord record);

    public override async Task<IEditableSection?> FindAsync(WoningPasDbContext db, Guid dwellingId, Guid? recordId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var records = Records(db, dwellingId);
        if (recordId is { } id)
        {
            return await records.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        }

        return SingleRecord ? await records.FirstOrDefaultAsync(cancellationToken) : null;
    }

    public override async Task<IReadOnlyList<SectionState>> ListAsync(WoningPasDbContext db, Guid dwellingId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await Records(db, dwellingId).AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.Select(StateOf)];
    }

    public sealed override JsonObject Read(IEditableSection record) => ValuesOf((TRecord)record);

    public sealed override void Apply(JsonObject values, IEditableSection record)
    {
        ArgumentNullException.ThrowIfNull(values);
        ApplyTo(values, (TRecord)record);
    }
}
