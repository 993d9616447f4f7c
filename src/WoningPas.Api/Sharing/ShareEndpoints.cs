using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Encryption;
using WoningPas.Data.Sharing;

namespace WoningPas.Api.Sharing;

public sealed record ShareView(Guid Id, IReadOnlyList<string> Sections, string Kind, string? RecipientEmail,
    DateTimeOffset CreatedAt, DateOnly ExpiresOn, DateTimeOffset? RevokedAt, string Status, ShareUsage Usage);

public sealed record ShareUsage(int Count, DateTimeOffset? LastUsedAt, IReadOnlyList<ShareUse> Recent);

/// <summary>One use of a share: when, what was read, and by whom (the recipient's e-mail, or "link").</summary>
public sealed record ShareUse(DateTimeOffset At, string By, string ObjectKind, string? ObjectId);

public sealed record SharesResponse(IReadOnlyList<ShareView> Shares);

/// <summary>The link, returned once, at creation: only its hash is kept.</summary>
public sealed record CreatedShareResponse(ShareView Share, string? LinkToken, string? LinkUrl);

public sealed record ReceivedShare(Guid Id, Guid DwellingId, string Address, IReadOnlyList<string> Sections,
    DateOnly ExpiresOn);

public sealed record ReceivedSharesResponse(IReadOnlyList<ReceivedShare> Shares);

/// <summary>
/// A holder shares chosen sections of one dwelling with a person (by verified e-mail) or as a link, for at most a
/// year, sees who used each share, and revokes it at any time. Every call is recorded in the access log.
/// </summary>
public static class ShareEndpoints
{
    private const int RecentUses = 20;

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder routes)
    {
        var shares = routes.MapGroup("/api/dwellings/{id:guid}/shares").RequireAuthorization(Authentication.CitizenPolicy);
        shares.MapPost("/", CreateAsync);
        shares.MapGet("/", ListAsync);
        shares.MapDelete("/{shareId:guid}", RevokeAsync);
        routes.MapGet("/api/shares/received", ReceivedAsync).RequireAuthorization(Authentication.CitizenPolicy);
        return routes;
    }

    private static async Task<Results<Created<CreatedShareResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid id, HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time, KeyRingCache keys,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        if (!await HoldsAsync(db, actor, id, today, cancellationToken))
        {
            await recorder.RecordAsync(actor, AccessAction.Share, "share", null, null, DwellingAuthorizer.OwnDossierPurpose,
                AccessOutcome.Denied, cancellationToken);
            return NotFound();
        }

        var body = await RequestBodies.ReadBoundedAsync(context.Request, ShareRequestParser.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"A share request is at most {ShareRequestParser.MaxBodyBytes} bytes.", type: ProblemTypes.TooLarge);
        }

        var request = ShareRequestParser.Parse(body, today, out var errors);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The share request is not valid",
                type: ProblemTypes.Validation);
        }

        var token = request.RecipientEmail is null ? ShareLinks.NewToken() : null;
        var shareId = Guid.CreateVersion7();
        var ring = await keys.GetAsync(cancellationToken);
        var recipient = request.RecipientEmail is { } email ? ring.Recipient(shareId, email) : default;
        var share = new DwellingShare
        {
            Id = shareId,
            DwellingId = id,
            CreatedBy = actor.SubjectId,
            CreatedAt = time.GetUtcNow(),
            Sections = [.. request.Sections],
            EncryptedRecipientEmail = recipient.Encrypted,
            RecipientEmailIndex = recipient.Index,
            TokenHash = token is null ? null : ShareLinks.Hash(token),
            ExpiresOn = request.ExpiresOn,
        };
        // The share and its entry commit together: a share nobody can find in the log does not exist.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.DwellingShares.Add(share);
            await db.SaveChangesAsync(cancellationToken);
            await recorder.RecordInTransactionAsync(db, actor, AccessAction.Share, "share", share.Id.ToString("D"), id,
                DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var view = ToView(share, request.RecipientEmail, today, []);
        return TypedResults.Created($"/api/dwellings/{id:D}/shares/{share.Id:D}",
            new CreatedShareResponse(view, token, token is null ? null : $"{ShareLinks.PagePath}#share={token}"));
    }

    private static async Task<Results<Ok<SharesResponse>, ProblemHttpResult>> ListAsync(Guid id, HttpContext context,
        WoningPasDbContext db, AccessRecorder recorder, TimeProvider time, KeyRingCache keys,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        if (!await HoldsAsync(db, actor, id, today, cancellationToken))
        {
            await recorder.RecordAsync(actor, AccessAction.Read, "shares", id.ToString("D"), null,
                DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return NotFound();
        }

        var shares = await db.DwellingShares.AsNoTracking().Where(s => s.DwellingId == id)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        // Who used a share is what the access log says: the one record of every read.
        var uses = await db.AccessLog.AsNoTracking()
            .Where(e => e.DwellingId == id && e.Outcome == AccessOutcome.Allowed
                && e.Purpose.StartsWith(DwellingAuthorizer.SharePurposePrefix))
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.Purpose, e.OccurredAt, e.ActorRole, e.ObjectKind, e.ObjectId })
            .ToListAsync(cancellationToken);
        var usesByShare = uses.ToLookup(u => u.Purpose, StringComparer.Ordinal);
        var recipients = new Dictionary<Guid, string?>();
        foreach (var share in shares)
        {
            recipients[share.Id] = share.EncryptedRecipientEmail is { } value
                ? (await keys.ForAsync(value, cancellationToken)).RecipientEmail(share)
                : null;
        }

        await recorder.RecordAsync(actor, AccessAction.Read, "shares", id.ToString("D"), id,
            DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new SharesResponse([.. shares.Select(share => ToView(share, recipients[share.Id], today,
            [.. usesByShare[DwellingAuthorizer.SharePurpose(share.Id)].Select(u => new ShareUse(u.OccurredAt,
                recipients[share.Id] ?? "link", u.ObjectKind, u.ObjectId))]))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, Guid shareId,
        HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var share = await HoldsAsync(db, actor, id, time.Today(), cancellationToken)
            ? await db.DwellingShares.SingleOrDefaultAsync(s => s.Id == shareId && s.DwellingId == id, cancellationToken)
            : null;
        if (share is null)
        {
            await recorder.RecordAsync(actor, AccessAction.Revoke, "share", shareId.ToString("D"), null,
                DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return NotFound();
        }

        // The revocation and its entry commit together. Revoking twice is harmless: the first revocation keeps its
        // time and author, and the second is logged as the attempt it was.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (share.RevokedAt is null)
        {
            share.RevokedAt = time.GetUtcNow();
            share.RevokedBy = actor.SubjectId;
            await db.SaveChangesAsync(cancellationToken);
        }

        await recorder.RecordInTransactionAsync(db, actor, AccessAction.Revoke, "share", shareId.ToString("D"), id,
            DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ReceivedSharesResponse>> ReceivedAsync(HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, TimeProvider time, KeyRingCache keys, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var email = context.User.FindFirst(WoningPasClaims.VerifiedEmail)?.Value;
        var today = time.Today();
        var received = email is null
            ? []
            : await RecipientShares.FindAsync(keys, email, indexes => db.DwellingShares.AsNoTracking()
                .Where(s => indexes.Contains(s.RecipientEmailIndex!) && s.RevokedAt == null && s.ExpiresOn >= today)
                .OrderBy(s => s.ExpiresOn)
                .Select(s => new { s.Id, s.DwellingId, s.Dwelling.Address, s.Sections, s.ExpiresOn })
                .ToListAsync(cancellationToken), cancellationToken);

        await recorder.RecordAsync(actor, AccessAction.Read, "received-shares", actor.SubjectId.ToString("D"), null,
            DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new ReceivedSharesResponse([.. received.Select(s =>
            new ReceivedShare(s.Id, s.DwellingId, s.Address.Label, s.Sections, s.ExpiresOn))]));
    }

    private static Task<bool> HoldsAsync(WoningPasDbContext db, Actor actor, Guid dwellingId, DateOnly today,
        CancellationToken cancellationToken) =>
        db.Dwellings.AsNoTracking().HeldBy(actor.SubjectId, today).AnyAsync(d => d.Id == dwellingId, cancellationToken);

    private static ShareView ToView(DwellingShare share, string? recipientEmail, DateOnly today, IReadOnlyList<ShareUse> uses) =>
        new(share.Id, share.Sections, share.EncryptedRecipientEmail is null ? "link" : "email", recipientEmail,
            share.CreatedAt, share.ExpiresOn, share.RevokedAt,
            share.RevokedAt is not null ? "revoked" : share.IsActiveOn(today) ? "active" : "expired",
            new ShareUsage(uses.Count, uses.Count > 0 ? uses[0].At : null, [.. uses.Take(RecentUses)]));

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
            detail: "No dwelling with this id is yours to share.", type: ProblemTypes.NotFound);
}
