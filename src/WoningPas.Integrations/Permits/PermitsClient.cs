using System.ComponentModel;
using WoningPas.Integrations.Caching;
using WoningPas.Integrations.Registries;

namespace WoningPas.Integrations.Permits;

/// <summary>The permits on a parcel, newest first, as the permit register holds them.</summary>
[ImmutableObject(true)]
public sealed record PermitsAnswer(string CapaKey, IReadOnlyList<PermitAnswer> Permits);

/// <summary>One permit; kind (building, environment, subdivision) and decision (granted, refused, pending) as the register writes them.</summary>
public sealed record PermitAnswer(string Reference, string Kind, string Description, DateOnly SubmittedOn,
    DateOnly? DecidedOn, string Decision, DateTimeOffset UpdatedAt);

public sealed class PermitsClient(HttpClient http, RegistryCache cache)
{
    public static IReadOnlyList<string> Kinds { get; } = ["building", "environment", "subdivision"];

    public static IReadOnlyList<string> Decisions { get; } = ["granted", "refused", "pending"];

    /// <summary>An answer with a kind or decision this client does not know is a failed answer, never cached.</summary>
    public async Task<PermitsAnswer> GetAsync(string capaKey, CancellationToken cancellationToken)
    {
        var answer = (await RegistryHttp.GetAsync<PermitsAnswer>(http,
            $"permits/v1/parcels/{RegistryNames.PathCaPaKey(capaKey)}/permits", notFoundIsNone: false, cancellationToken))!;
        var unknown = answer.Permits.FirstOrDefault(p => !Kinds.Contains(p.Kind) || !Decisions.Contains(p.Decision));
        return unknown is null
            ? answer
            : throw new RegistryAnswerException($"Permit {unknown.Reference} has kind '{unknown.Kind}' and decision '{unknown.Decision}'.");
    }

    public Task<RegistryRead<PermitsAnswer>> ReadAsync(string capaKey, Guid? dwellingId, CancellationToken cancellationToken) =>
        cache.ReadAsync(RegistryNames.Permits, capaKey, Tags.For(capaKey, dwellingId), token => GetAsync(capaKey, token), cancellationToken);
}
