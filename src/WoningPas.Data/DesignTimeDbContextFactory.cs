using Microsoft.EntityFrameworkCore.Design;

namespace WoningPas.Data;

/// <summary>Used only by `dotnet ef migrations add`; no database is contacted to add a migration.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<WoningPasDbContext>
{
    public WoningPasDbContext CreateDbContext(string[] args) =>
        new(DatabaseRegistration.CreateOptions("Host=localhost;Database=woningpas_design"));
}
