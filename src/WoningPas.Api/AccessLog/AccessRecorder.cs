using WoningPas.Api.Account;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>
/// Records one access to personal data for the current request: the actor from the session, the client address and
/// correlation id from the request. Called by every endpoint that reads personal data, hit or miss, allowed or not.
/// A read is recorded through the group-commit writer before its data leaves; a write records its entry inside its
/// own transaction (<see cref="RecordInTransactionAsync"/>), so that it is stored with its entry or not at all.
/// </summary>
public sealed class AccessRecorder(AccessLogWriter writer, IHttpContextAccessor httpContextAccessor, TimeProvider time)
{
    public Task RecordAsync(Actor actor, AccessAction action, string objectKind, string? objectId, Guid? dwellingId,
        string purpose, AccessOutcome outcome, CancellationToken cancellationToken, Guid? actingForId = null) =>
        writer.AppendAsync(Entry(actor, action, objectKind, objectId, dwellingId, purpose, outcome, actingForId),
            cancellationToken);

    /// <summary>
    /// Appends the entry of a write in <paramref name="db"/>'s open transaction; the caller commits both. Call it last
    /// before the commit: from here to the commit the transaction holds the log's chain lock.
    /// </summary>
    public Task RecordInTransactionAsync(WoningPasDbContext db, Actor actor, AccessAction action, string objectKind,
        string? objectId, Guid? dwellingId, string purpose, AccessOutcome outcome, CancellationToken cancellationToken) =>
        AccessLogAppend.InTransactionAsync(db,
            Entry(actor, action, objectKind, objectId, dwellingId, purpose, outcome, null) with
            {
                OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()),
            },
            cancellationToken);

    private AccessLogEntry Entry(Actor actor, AccessAction action, string objectKind, string? objectId, Guid? dwellingId,
        string purpose, AccessOutcome outcome, Guid? actingForId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var context = httpContextAccessor.HttpContext;
        return new AccessLogEntry
        {
            ActorId = actor.SubjectId.ToString("D"),
            ActingForId = actingForId?.ToString("D"),
            ActorRole = actor.Role,
            ActorOrganisation = actor.Organisation,
            Action = action,
            ObjectKind = objectKind,
            ObjectId = objectId,
            DwellingId = dwellingId,
            Purpose = purpose,
            Outcome = outcome,
            ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
            CorrelationId = context?.TraceIdentifier,
        };
    }
}

public static class AccessRecordingRegistration
{
    public static IServiceCollection AddAccessRecording(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<AccessLogWriter>());
        services.AddScoped<AccessRecorder>();
        return services;
    }
}
