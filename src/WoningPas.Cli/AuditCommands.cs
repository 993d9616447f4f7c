using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Cli;

/// <summary>`verify-audit` and `anchor-audit`: the access log's hash chain and its anchors outside the database.</summary>
internal static class AuditCommands
{
    public static async Task<int> VerifyAsync(CliApp.Database database, string? anchors, TextWriter output, TextWriter error,
        IFormatProvider format, CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        var progress = new InlineProgress<long>(count => error.WriteLine(string.Create(format, $"  {count:N0} entries checked ...")));
        var result = await AccessLogVerifier.VerifyAsync(db, progress, cancellationToken);
        if (!result.IsIntact)
        {
            await error.WriteLineAsync(string.Create(format,
                $"Access log BROKEN at entry {result.BrokenAtId}: {result.Problem}. {result.EntriesChecked:N0} entries before it hold."));
            return 1;
        }

        await output.WriteLineAsync(string.Create(format, $"Access log intact: {result.EntriesChecked:N0} entries, every link holds."));
        if (anchors is null)
        {
            await error.WriteLineAsync(
                "No anchor store given (--anchors PATH or AccessLog__AnchorPath): entries cut off at the end cannot be detected.");
            return 0;
        }

        var check = await AccessLogAnchors.CheckAsync(db, database.Ring, anchors, cancellationToken);
        if (!check.Holds)
        {
            await error.WriteLineAsync($"Access log TRUNCATED or anchors tampered with: {check.Problem}.");
            return 1;
        }

        await output.WriteLineAsync(check.Newest is { } newest
            ? string.Create(format,
                $"Anchors hold: {check.Anchors:N0} in {anchors}, newest entry {newest.LastId:N0} anchored at {newest.AnchoredAt}; every anchored head is in the chain.")
            : $"Anchors hold: {anchors} holds no anchor yet.");
        if (check.Unverifiable > 0)
        {
            await output.WriteLineAsync(string.Create(format,
                $"  {check.Unverifiable:N0} anchors are under destroyed key versions: compared with the chain, their MAC not verifiable."));
        }

        return 0;
    }

    public static async Task<int> AnchorAsync(CliApp.Database database, string anchors, TextWriter output, TextWriter error,
        IFormatProvider format, CancellationToken cancellationToken)
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(database.ConnectionString));
        try
        {
            var written = await AccessLogAnchors.AnchorAsync(db, database.Ring, anchors, TimeProvider.System, cancellationToken);
            await output.WriteLineAsync(string.Create(format,
                $"Anchored entry {written.Anchor.LastId:N0} (hash {written.Anchor.Hash[..16]}…) at {written.Anchor.AnchoredAt} in {anchors}; {written.EntriesVerified:N0} entries since the previous anchor verified."));
            return 0;
        }
        catch (AnchorException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }

    /// <summary>The anchor store: <c>--anchors PATH</c>, else <c>AccessLog__AnchorPath</c>.</summary>
    public static string? AnchorPath(string[] args) =>
        CliApp.Option(args, "--anchors") is { Length: > 0 } path ? path
        : Environment.GetEnvironmentVariable(CliEnvironment.AnchorPath) is { Length: > 0 } configured ? configured
        : null;
}
