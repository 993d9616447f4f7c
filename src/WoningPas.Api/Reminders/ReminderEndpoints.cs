using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Domain;

namespace WoningPas.Api.Reminders;

public sealed record RemindersResponse(IReadOnlyList<Reminder> Reminders);

/// <summary>
/// Something of a holder's dwelling that expires soon (or has expired): which section, until when, how many days are
/// left, and which reminder threshold (90 or 30 days) applies today.
/// </summary>
public sealed record Reminder(Guid DwellingId, string Address, string Section, string Reference, DateOnly ValidUntil,
    int DaysLeft, int? ThresholdDays, SectionStatus Status);

public static class ReminderEndpoints
{
    public static IEndpointRouteBuilder MapReminders(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/me/reminders", RemindersAsync).RequireAuthorization(Authentication.CitizenPolicy);
        return routes;
    }

    private static async Task<Ok<RemindersResponse>> RemindersAsync(HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        // Only what can trigger a reminder: validity ends up to 90 days ahead, or already past.
        var horizon = today.AddDays(ExpiryReminders.DaysBefore.Max());
        var held = db.Dwellings.AsNoTracking().HeldBy(actor.SubjectId, today);
        var heldIds = held.Select(d => d.Id);
        var addresses = (await held.Select(d => new { d.Id, d.Address }).ToListAsync(cancellationToken))
            .ToDictionary(d => d.Id, d => d.Address.Label);

        // Only the newest certificate of a kind counts: a renewed one silences the reminders of the old one.
        var due = new List<Due>();
        due.AddRange(await db.EnergyCertificates
            .Where(c => heldIds.Contains(c.DwellingId) && c.ValidUntil <= horizon
                && !db.EnergyCertificates.Any(n => n.DwellingId == c.DwellingId && n.IssuedOn > c.IssuedOn))
            .Select(c => new Due(c.DwellingId, "epc", c.SourceReference, c.ValidUntil))
            .ToListAsync(cancellationToken));
        due.AddRange(await db.AsbestosCertificates
            .Where(c => heldIds.Contains(c.DwellingId) && c.ValidUntil <= horizon
                && !db.AsbestosCertificates.Any(n => n.DwellingId == c.DwellingId && n.IssuedOn > c.IssuedOn))
            .Select(c => new Due(c.DwellingId, "asbestos", c.SourceReference, c.ValidUntil))
            .ToListAsync(cancellationToken));
        due.AddRange(await db.ConformityCertificates
            .Where(c => heldIds.Contains(c.DwellingId) && c.ValidUntil <= horizon
                && !db.ConformityCertificates.Any(n => n.DwellingId == c.DwellingId && n.IssuedOn > c.IssuedOn))
            .Select(c => new Due(c.DwellingId, "conformity", c.SourceReference, c.ValidUntil))
            .ToListAsync(cancellationToken));
        due.AddRange(await db.Installations
            .Where(i => heldIds.Contains(i.DwellingId) && i.NextInspectionDue <= horizon)
            .Select(i => new Due(i.DwellingId, "installations", i.SourceReference, i.NextInspectionDue!.Value))
            .ToListAsync(cancellationToken));

        await recorder.RecordAsync(actor, AccessAction.Read, "reminders", actor.SubjectId.ToString("D"), null,
            DwellingEndpoints.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);

        var reminders = due
            .OrderBy(x => x.ValidUntil)
            .Select(x => new Reminder(x.DwellingId, addresses[x.DwellingId], x.Section, x.Reference, x.ValidUntil,
                x.ValidUntil.DayNumber - today.DayNumber,
                ExpiryReminders.NextReminderDaysBefore(x.ValidUntil, today),
                CertificateRules.StatusOn(x.ValidUntil, today)))
            .ToList();
        return TypedResults.Ok(new RemindersResponse(reminders));
    }

    private sealed record Due(Guid DwellingId, string Section, string Reference, DateOnly ValidUntil);
}
