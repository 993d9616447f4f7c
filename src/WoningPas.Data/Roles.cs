namespace WoningPas.Data;

/// <summary>The roles a signed-in actor can have; they appear in claims and in the access log.</summary>
public static class Roles
{
    public const string Citizen = "citizen";
    public const string Editor = "editor";
    public const string Auditor = "auditor";

    /// <summary>Another organisation's software, signed in with OAuth2 client credentials; limited to its scopes.</summary>
    public const string MachineClient = "machine";

    /// <summary>Whoever presents a share link: no identity, only the link's sections until it expires.</summary>
    public const string LinkHolder = "link";
}

/// <summary>The organisations staff belong to; an editor edits only the sections their organisation owns.</summary>
public static class Organisations
{
    public const string EnergyAgency = "energy-agency";
    public const string WasteAgency = "waste-agency";
    public const string EnvironmentDepartment = "environment-department";
    public const string HousingAgency = "housing-agency";
    public const string Municipality = "municipality";
    public const string AccessLogAudit = "access-log-audit";
}

/// <summary>
/// The app roles staff carry in their Entra ID token (<c>roles</c>), each one role and organisation here. Defined
/// once: the Api maps tokens with it, the identity stand-in and the demo personas are given roles from it.
/// </summary>
public static class StaffAppRoles
{
    public static IReadOnlyDictionary<string, (string Role, string Organisation)> All { get; } =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["energy.editor"] = (Roles.Editor, Organisations.EnergyAgency),
            ["waste.editor"] = (Roles.Editor, Organisations.WasteAgency),
            ["housing.editor"] = (Roles.Editor, Organisations.HousingAgency),
            ["environment.editor"] = (Roles.Editor, Organisations.EnvironmentDepartment),
            ["municipality.editor"] = (Roles.Editor, Organisations.Municipality),
            ["audit.reader"] = (Roles.Auditor, Organisations.AccessLogAudit),
        };

    /// <summary>The app role of a role and organisation, or null when none is defined for them.</summary>
    public static string? Of(string role, string? organisation) =>
        All.FirstOrDefault(entry => entry.Value.Role == role && entry.Value.Organisation == organisation).Key;
}
