using Microsoft.EntityFrameworkCore;
using Npgsql;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Staff;

/// <summary>The current EPC of a dwelling and the version token an editor must send back to change it.</summary>
public sealed record EpcState(Guid CertificateId, uint Version, EpcValues Values);

public abstract record EpcSaveResult
{
    private EpcSaveResult()
    {
    }

    public sealed record Saved(EpcState State, long VersionId) : EpcSaveResult;

    /// <summary>Someone saved in between: nothing was written; the current state says what they changed.</summary>
    public sealed record Stale(EpcState Current) : EpcSaveResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : EpcSaveResult;

    /// <summary>The dwelling has no EPC to edit (or the version to undo is not one of its EPC's versions).</summary>
    public sealed record Missing : EpcSaveResult;
}

public sealed record SectionVersionView(long Id, SectionChangeKind Kind, long? UndoOf, Guid ChangedBy,
    string ChangedByName, string Organisation, DateTimeOffset ChangedAt, EpcValues Before, EpcValues After);

/// <summary>
/// Reads and changes the EPC section for the energy agency's staff: optimistic concurrency on the row's xmin, one
/// version row per save in the same transaction, undo as a new version, and the cache told after the commit. The
/// caller has authorised the editor for the section; every save and read here is access-logged.
/// </summary>
public sealed class EpcEditor(WoningPasDbContext db, AccessRecorder recorder, SectionChanges changes, TimeProvider time)
{
    public const string Section = "epc";

    public async Task<EpcState?> ReadAsync(Guid dwellingId, CancellationToken cancellationToken)
    {
        var certificate = await Current(dwellingId).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return certificate is null ? null : new EpcState(certificate.Id, certificate.Version, EpcValues.Of(certificate));
    }

    public async Task<EpcSaveResult> SaveAsync(Actor actor, string actorName, Guid dwellingId, uint expectedVersion,
        EpcValues values, string purpose, CancellationToken cancellationToken) =>
        await ChangeAsync(actor, actorName, dwellingId, expectedVersion, _ => Task.FromResult<(EpcValues, long?)?>((values, null)),
            purpose, cancellationToken);

    /// <summary>Restores the values from before version <paramref name="versionId"/>, as a new version.</summary>
    public async Task<EpcSaveResult> UndoAsync(Actor actor, string actorName, Guid dwellingId, uint expectedVersion,
        long versionId, string purpose, CancellationToken cancellationToken) =>
        await ChangeAsync(actor, actorName, dwellingId, expectedVersion, async certificateId =>
        {
            var version = await db.SectionVersions.AsNoTracking()
                .Where(v => v.Id == versionId && v.DwellingId == dwellingId && v.Section == Section && v.RecordId == certificateId)
                .Select(v => v.Before)
                .SingleOrDefaultAsync(cancellationToken);
            return version is null ? null : (EpcValues.FromJson(version), versionId);
        }, purpose, cancellationToken);

    public async Task<IReadOnlyList<SectionVersionView>> HistoryAsync(Guid dwellingId, CancellationToken cancellationToken)
    {
        var rows = await db.SectionVersions.AsNoTracking()
            .Where(v => v.DwellingId == dwellingId && v.Section == Section)
            .OrderByDescending(v => v.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(v => new SectionVersionView(v.Id, v.Kind, v.UndoOf, v.ChangedBy, v.ChangedByName,
            v.Organisation, v.ChangedAt, EpcValues.FromJson(v.Before), EpcValues.FromJson(v.After)))];
    }

    private async Task<EpcSaveResult> ChangeAsync(Actor actor, string actorName, Guid dwellingId, uint expectedVersion,
        Func<Guid, Task<(EpcValues Values, long? UndoOf)?>> target, string purpose, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var certificate = await Current(dwellingId).FirstOrDefaultAsync(cancellationToken);
        if (certificate is null)
        {
            return new EpcSaveResult.Missing();
        }

        if (certificate.Version != expectedVersion)
        {
            return new EpcSaveResult.Stale(new EpcState(certificate.Id, certificate.Version, EpcValues.Of(certificate)));
        }

        var change = await target(certificate.Id);
        if (change is null)
        {
            return new EpcSaveResult.Missing();
        }

        var before = EpcValues.Of(certificate);
        change.Value.Values.ApplyTo(certificate);
        certificate.SourceUpdatedAt = time.GetUtcNow();
        var version = new SectionVersion
        {
            DwellingId = dwellingId,
            Section = Section,
            RecordId = certificate.Id,
            Kind = change.Value.UndoOf is null ? SectionChangeKind.Edit : SectionChangeKind.Undo,
            UndoOf = change.Value.UndoOf,
            ChangedBy = actor.SubjectId,
            ChangedByName = actorName,
            Organisation = actor.Organisation ?? "",
            ChangedAt = time.GetUtcNow(),
            Before = before.ToJson(),
            After = EpcValues.Of(certificate).ToJson(),
        };
        db.SectionVersions.Add(version);
        try
        {
            // The UPDATE carries "WHERE xmin = expected": a save that committed since the read above makes it touch no row.
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var current = await ReadAsync(dwellingId, cancellationToken);
            return current is null ? new EpcSaveResult.Missing() : new EpcSaveResult.Stale(current);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
                                                  { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new EpcSaveResult.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [EpcInput.SourceReferenceField] = ["Een ander EPC heeft dit certificaatnummer al."],
            });
        }

        await recorder.RecordAsync(actor, AccessAction.Edit, "section", $"{dwellingId:D}/{Section}", dwellingId, purpose,
            AccessOutcome.Allowed, cancellationToken);
        await changes.SectionChanged(dwellingId, Section, cancellationToken);
        return new EpcSaveResult.Saved(new EpcState(certificate.Id, certificate.Version, EpcValues.Of(certificate)),
            version.Id);
    }

    /// <summary>The EPC the passport shows: the newest one of the dwelling.</summary>
    private IQueryable<EnergyCertificate> Current(Guid dwellingId) =>
        db.EnergyCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.Id);
}
