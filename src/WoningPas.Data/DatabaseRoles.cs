namespace WoningPas.Data;

/// <summary>
/// Least privilege in the database: migrations run as the owner of the schema; the hosts connect as
/// <see cref="App"/>, which may read and write the dossier tables but only insert into and select from the access log.
/// </summary>
public static class DatabaseRoles
{
    public const string App = "woningpas_app";
}
