using WoningPas.Api.Account;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>
/// Records one access to personal data for the current request: the actor from the session, the client address and
/// correlation id from the request. Called by every endpoint that reads personal data, hit or miss, allowed or not.
/// </summary>
public sealed class AccessRecorder(AccessLogWriter writer, IHttpContextAccessor httpContextAccessor)
{
    public Task RecordAsync(Actor actor, AccessAction action, string objectKind, string? objectId, Guid? dwellingId,
        string purpose, AccessOutcome outcome, CancellationToken cancellationToken, Guid? actingForId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var context = httpContextAccessor.HttpContext;
        return writer.AppendAsync(new AccessLogEntry
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
        }, cancellationToken);
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
