using WoningPas.Data.Encryption;

namespace WoningPas.Cli;

/// <summary>
/// The environment variables the CLI reads: it has no configuration system, so these names are its whole contract
/// with a deployment (the Jobs and CronJobs in deploy/k8s are checked against <see cref="All"/>).
/// </summary>
public static class CliEnvironment
{
    /// <summary>The database; without it the CLI uses the local run's PostgreSQL under .data/pg.</summary>
    public const string ConnectionString = "ConnectionStrings__WoningPas";

    /// <summary>The anchor store when <c>--anchors</c> is not given.</summary>
    public const string AnchorPath = "AccessLog__AnchorPath";

    /// <summary>Production when unset: decides which key-encryption-key settings are allowed.</summary>
    public const string EnvironmentName = "DOTNET_ENVIRONMENT";

    public static IReadOnlyList<string> All { get; } =
        [ConnectionString, AnchorPath, EnvironmentName, .. EncryptionSettings.EnvironmentVariables];
}
