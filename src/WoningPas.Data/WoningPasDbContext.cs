using Microsoft.EntityFrameworkCore;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.DataProtection;
using WoningPas.Data.Documents;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Data.Sections;
using WoningPas.Data.Sharing;

namespace WoningPas.Data;

public sealed class WoningPasDbContext(DbContextOptions<WoningPasDbContext> options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Address> Addresses => Set<Address>();
    public DbSet<Parcel> Parcels => Set<Parcel>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Dwelling> Dwellings => Set<Dwelling>();
    public DbSet<RealRight> RealRights => Set<RealRight>();
    public DbSet<EnergyCertificate> EnergyCertificates => Set<EnergyCertificate>();
    public DbSet<Deed> Deeds => Set<Deed>();
    public DbSet<AsbestosCertificate> AsbestosCertificates => Set<AsbestosCertificate>();
    public DbSet<SoilCertificate> SoilCertificates => Set<SoilCertificate>();
    public DbSet<FloodScore> FloodScores => Set<FloodScore>();
    public DbSet<Permit> Permits => Set<Permit>();
    public DbSet<ConformityCertificate> ConformityCertificates => Set<ConformityCertificate>();
    public DbSet<Installation> Installations => Set<Installation>();
    public DbSet<OwnerDocument> OwnerDocuments => Set<OwnerDocument>();
    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();
    public DbSet<DataKeyVersion> DataKeys => Set<DataKeyVersion>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<DwellingShare> DwellingShares => Set<DwellingShare>();
    public DbSet<SectionVersion> SectionVersions => Set<SectionVersion>();
    public DbSet<DataReport> DataReports => Set<DataReport>();
    public DbSet<Sessions.UserSession> UserSessions => Set<Sessions.UserSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WoningPasDbContext).Assembly);
}
