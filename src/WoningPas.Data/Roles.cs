namespace WoningPas.Data;

/// <summary>The roles a signed-in actor can have; they appear in claims and in the access log.</summary>
public static class Roles
{
    public const string Citizen = "citizen";
    public const string Editor = "editor";
    public const string Auditor = "auditor";
}

/// <summary>The organisations staff belong to; an editor edits only the sections their organisation owns.</summary>
public static class Organisations
{
    public const string EnergyAgency = "energy-agency";
    public const string AccessLogAudit = "access-log-audit";
}
