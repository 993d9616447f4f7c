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
