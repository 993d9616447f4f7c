using Microsoft.EntityFrameworkCore;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Energy;
using WoningPas.Data.People;

namespace WoningPas.Data;

public sealed class WoningPasDbContext(DbContextOptions<WoningPasDbContext> options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Address> Addresses => Set<Address>();
    public DbSet<Parcel> Parcels => Set<Parcel>();
    public DbSet<Dwelling> Dwellings => Set<Dwelling>();
    public DbSet<RealRight> RealRights => Set<RealRight>();
    public DbSet<EnergyCertificate> EnergyCertificates => Set<EnergyCertificate>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WoningPasDbContext).Assembly);
}
