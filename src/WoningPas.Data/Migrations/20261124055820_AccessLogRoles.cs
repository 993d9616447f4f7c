using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <summary>
    /// The application's own database role: everything it needs on the dossier tables, and on the access log only
    /// INSERT and SELECT, so that even a compromised host cannot rewrite history (the trigger refuses it as well).
    /// Roles belong to the cluster, so the role is created only when missing. The role gets no password here: the
    /// operator sets one (ALTER ROLE woningpas_app PASSWORD ...) or the cluster trusts local connections. Where the
    /// cluster declares the role itself (CloudNativePG's managed roles, deploy/k8s), the owner that migrates needs no
    /// CREATEROLE: the existence check comes first, because CREATE ROLE checks that privilege before it finds a
    /// duplicate. Databases that had this migration before the check was added are not affected by it.
    /// </summary>
    public partial class AccessLogRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'woningpas_app') THEN
                        CREATE ROLE woningpas_app LOGIN;
                    END IF;
                EXCEPTION WHEN duplicate_object THEN
                    NULL;
                END
                $$;
                GRANT USAGE ON SCHEMA public TO woningpas_app;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO woningpas_app;
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO woningpas_app;
                REVOKE ALL ON access_log FROM woningpas_app;
                GRANT SELECT, INSERT ON access_log TO woningpas_app;
                REVOKE ALL ON "__migrations" FROM woningpas_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO woningpas_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO woningpas_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM woningpas_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM woningpas_app;
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM woningpas_app;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM woningpas_app;
                REVOKE USAGE ON SCHEMA public FROM woningpas_app;
                """);
        }
    }
}
