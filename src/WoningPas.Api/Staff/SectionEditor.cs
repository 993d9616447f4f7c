using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Passport;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;

namespace WoningPas.Api.Staff;

public abstract record SectionSaveResult
{
    private SectionSaveResult()
    {
    }

    public sealed record Saved(SectionState State, long VersionId) : SectionSaveResult;

    /// <summary>Someone saved in between: nothing was written; the current state says what they changed.</summary>
    public sealed record Stale(SectionState Current) : SectionSaveResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : SectionSaveResult;

    /// <summary>No such record to edit (or the version to undo is not one of this section's versions).</summary>
    public sealed record Missing : SectionSaveResult;
}

public sealed record SectionVersionView(long Id, Guid RecordId, SectionChangeKind Kind, long? UndoOf, Guid ChangedBy,
    string ChangedByName, string Organisation, DateTimeOffset ChangedAt, JsonObject Before, JsonObject After);

/// <summary>
/// The one editing pipeline of every back-office section: optimistic concurrency on the row's xmin, one version row per
/// save in the same transaction, undo as a new version. The caller has authorised the editor for the section and
/// validated the purpose; every save is access-logged here, in its own transaction, reads by the caller. A save returns once this replica's passport cache has dropped what
/// it changed, so the citizen's next request sees it.
/// </summary>
public sealed class SectionEditor(WoningPasDbContext db, AccessRecorder recorder, PassportCache passports, TimeProvider time)
{
    public async Task<SectionState?> ReadAsync(SectionKind kind, Guid dwellingId, Guid? recordId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var record = await kind.FindAsync(db, dwellingId, recordId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        // Read for display only: nothing of it is saved through this context.
        db.Entry(record).State = EntityState.Detached;
        return kind.StateOf(record);
    }

    public async Task<IReadOnlyList<SectionState>> ListAsync(SectionKind kind, Guid dwellingId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return await kind.ListAsync(db, dwellingId, cancellationToken);
    }

    public Task<SectionSaveResult> SaveAsync(SectionKind kind, Actor actor, string actorName, Guid dwellingId,
        Guid? recordId, uint expectedVersion, JsonObject values, string purpose, CancellationToken cancellationToken) =>
        ChangeAsync(kind, actor, actorName, dwellingId, recordId, expectedVersion, values, null, purpose,
            cancellationToken);

    /// <summary>Restores the values from before version <paramref name="versionId"/>, as a new version of its record.</summary>
    public async Task<SectionSaveResult> UndoAsync(SectionKind kind, Actor actor, string actorName, Guid dwellingId,
        uint expectedVersion, long versionId, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var version = await db.SectionVersions.AsNoTracking()
            .Where(v => v.Id == versionId && v.DwellingId == dwellingId && v.Section == kind.Section)
            .Select(v => new { v.RecordId, v.Before })
            .SingleOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return new SectionSaveResult.Missing();
        }

        return await ChangeAsync(kind, actor, actorName, dwellingId, version.RecordId, expectedVersion,
            ToObject(version.Before), versionId, purpose, cancellationToken);
    }

    public async Task<IReadOnlyList<SectionVersionView>> HistoryAsync(SectionKind kind, Guid dwellingId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var rows = await db.SectionVersions.AsNoTracking()
            .Where(v => v.DwellingId == dwellingId && v.Section == kind.Section)
            .OrderByDescending(v => v.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(v => new SectionVersionView(v.Id, v.RecordId, v.Kind, v.UndoOf, v.ChangedBy,
            v.ChangedByName, v.Organisation, v.ChangedAt, ToObject(v.Before), ToObject(v.After)))];
    }

    public async Task<long> LatestVersionIdAsync(SectionKind kind, Guid dwellingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return await db.SectionVersions.Where(v => v.DwellingId == dwellingId && v.Section == kind.Section)
            .MaxAsync(v => (long?)v.Id, cancellationToken) ?? 0;
    }

    private async Task<SectionSaveResult> ChangeAsync(SectionKind kind, Actor actor, string actorName, Guid dwellingId,
        Guid? recordId, uint expectedVersion, JsonObject values, long? undoOf, string purpose,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await kind.FindAsync(db, dwellingId, recordId, cancellationToken);
        if (record is null)
        {
            return new SectionSaveResult.Missing();
        }

        if (record.Version != expectedVersion)
        {
            return new SectionSaveResult.Stale(kind.StateOf(record));
        }

        var before = kind.Read(record);
        kind.Apply(values, record);
        record.SourceUpdatedAt = time.GetUtcNow();
        var version = new SectionVersion
        {
            DwellingId = dwellingId,
            Section = kind.Section,
            RecordId = record.Id,
            Kind = undoOf is null ? SectionChangeKind.Edit : SectionChangeKind.Undo,
            UndoOf = undoOf,
            ChangedBy = actor.SubjectId,
            ChangedByName = actorName,
            Organisation = actor.Organisation ?? "",
            ChangedAt = time.GetUtcNow(),
            Before = JsonSerializer.SerializeToDocument(before),
            After = JsonSerializer.SerializeToDocument(kind.Read(record)),
        };
        db.SectionVersions.Add(version);
        try
        {
            // The UPDATE carries "WHERE xmin = expected": a save that committed since the read above makes it touch no row.
            await db.SaveChangesAsync(cancellationToken);
            // The entry commits with the edit or the edit does not happen: should the log refuse it, the transaction
            // is rolled back when disposed and the caller gets the error.
            await recorder.RecordInTransactionAsync(db, actor, AccessAction.Edit, "section",
                $"{dwellingId:D}/{kind.Section}", dwellingId, purpose, AccessOutcome.Allowed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var current = await ReadAsync(kind, dwellingId, record.Id, cancellationToken);
            return current is null ? new SectionSaveResult.Missing() : new SectionSaveResult.Stale(current);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
                                                  { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new SectionSaveResult.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [FieldRules.SourceReferenceField] = [kind.DuplicateReference],
            });
        }

        await passports.CatchUpAsync(db, cancellationToken);
        return new SectionSaveResult.Saved(kind.StateOf(record), version.Id);
    }

    private static JsonObject ToObject(JsonDocument json) =>
        JsonNode.Parse(json.RootElement.GetRawText())?.AsObject()
        ?? throw new InvalidOperationException("A section version holds no values.");
}
