using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WoningPas.Data.Migrations
{
    /// <inheritdoc />
    public partial class PassportSections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_dwellings_parcels_parcel_id",
                table: "dwellings");

            migrationBuilder.RenameColumn(
                name: "ca_pa_key",
                table: "parcels",
                newName: "capakey");

            migrationBuilder.RenameIndex(
                name: "ix_parcels_ca_pa_key",
                table: "parcels",
                newName: "ix_parcels_capakey");

            migrationBuilder.RenameColumn(
                name: "certificate_number",
                table: "energy_certificates",
                newName: "source_reference");

            migrationBuilder.RenameIndex(
                name: "ix_energy_certificates_certificate_number",
                table: "energy_certificates",
                newName: "ix_energy_certificates_source_reference");

            migrationBuilder.RenameColumn(
                name: "parcel_id",
                table: "dwellings",
                newName: "building_id");

            migrationBuilder.RenameIndex(
                name: "ix_dwellings_parcel_id",
                table: "dwellings",
                newName: "ix_dwellings_building_id");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "source_updated_at",
                table: "energy_certificates",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            // Existing certificates get the migration time as their last update; new rows must say it themselves.
            migrationBuilder.Sql("ALTER TABLE energy_certificates ALTER COLUMN source_updated_at DROP DEFAULT;");

            migrationBuilder.CreateTable(
                name: "asbestos_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    has_high_risk_materials = table.Column<bool>(type: "boolean", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: false),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asbestos_certificates", x => x.id);
                    table.CheckConstraint("ck_asbestos_certificates_period", "valid_until > issued_on");
                    table.ForeignKey(
                        name: "fk_asbestos_certificates_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "buildings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    construction_year = table.Column<int>(type: "integer", nullable: true),
                    is_residential = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_buildings", x => x.id);
                    table.CheckConstraint("ck_buildings_construction_year", "construction_year BETWEEN 1000 AND 2100");
                });

            migrationBuilder.CreateTable(
                name: "conformity_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    after_investigation_with_defects = table.Column<bool>(type: "boolean", nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: false),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conformity_certificates", x => x.id);
                    table.CheckConstraint("ck_conformity_certificates_period", "valid_until > issued_on");
                    table.ForeignKey(
                        name: "fk_conformity_certificates_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "deeds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    signed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    label_at_deed = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deeds", x => x.id);
                    table.ForeignKey(
                        name: "fk_deeds_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "flood_scores",
                columns: table => new
                {
                    parcel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parcel_score = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    building_score = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flood_scores", x => x.parcel_id);
                    table.ForeignKey(
                        name: "fk_flood_scores_parcels_parcel_id",
                        column: x => x.parcel_id,
                        principalTable: "parcels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "installations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    source = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    installed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    last_inspected_on = table.Column<DateOnly>(type: "date", nullable: true),
                    next_inspection_due = table.Column<DateOnly>(type: "date", nullable: true),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_installations", x => x.id);
                    table.ForeignKey(
                        name: "fk_installations_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "owner_documents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dwelling_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    uploaded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_owner_documents", x => x.id);
                    table.ForeignKey(
                        name: "fk_owner_documents_dwellings_dwelling_id",
                        column: x => x.dwelling_id,
                        principalTable: "dwellings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "permits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    parcel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    submitted_on = table.Column<DateOnly>(type: "date", nullable: false),
                    decided_on = table.Column<DateOnly>(type: "date", nullable: true),
                    decision = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_permits", x => x.id);
                    table.ForeignKey(
                        name: "fk_permits_parcels_parcel_id",
                        column: x => x.parcel_id,
                        principalTable: "parcels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "soil_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    parcel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_reference = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    in_land_information_register = table.Column<bool>(type: "boolean", nullable: false),
                    source_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_soil_certificates", x => x.id);
                    table.ForeignKey(
                        name: "fk_soil_certificates_parcels_parcel_id",
                        column: x => x.parcel_id,
                        principalTable: "parcels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "building_parcels",
                columns: table => new
                {
                    building_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parcel_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_building_parcels", x => new { x.building_id, x.parcel_id });
                    table.ForeignKey(
                        name: "fk_building_parcels_buildings_building_id",
                        column: x => x.building_id,
                        principalTable: "buildings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_building_parcels_parcels_parcel_id",
                        column: x => x.parcel_id,
                        principalTable: "parcels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_addresses_postal_code_street_house_number",
                table: "addresses",
                columns: new[] { "postal_code", "street", "house_number" });

            migrationBuilder.CreateIndex(
                name: "ix_asbestos_certificates_dwelling_id_issued_on",
                table: "asbestos_certificates",
                columns: new[] { "dwelling_id", "issued_on" });

            migrationBuilder.CreateIndex(
                name: "ix_asbestos_certificates_source_reference",
                table: "asbestos_certificates",
                column: "source_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_building_parcels_parcel_id",
                table: "building_parcels",
                column: "parcel_id");

            migrationBuilder.CreateIndex(
                name: "ix_conformity_certificates_dwelling_id_issued_on",
                table: "conformity_certificates",
                columns: new[] { "dwelling_id", "issued_on" });

            migrationBuilder.CreateIndex(
                name: "ix_conformity_certificates_source_reference",
                table: "conformity_certificates",
                column: "source_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deeds_dwelling_id_signed_on",
                table: "deeds",
                columns: new[] { "dwelling_id", "signed_on" });

            migrationBuilder.CreateIndex(
                name: "ix_deeds_source_reference",
                table: "deeds",
                column: "source_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_installations_dwelling_id",
                table: "installations",
                column: "dwelling_id");

            migrationBuilder.CreateIndex(
                name: "ix_owner_documents_dwelling_id",
                table: "owner_documents",
                column: "dwelling_id");

            migrationBuilder.CreateIndex(
                name: "ix_permits_parcel_id_submitted_on",
                table: "permits",
                columns: new[] { "parcel_id", "submitted_on" });

            migrationBuilder.CreateIndex(
                name: "ix_permits_source_reference",
                table: "permits",
                column: "source_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_soil_certificates_parcel_id_issued_on",
                table: "soil_certificates",
                columns: new[] { "parcel_id", "issued_on" });

            migrationBuilder.CreateIndex(
                name: "ix_soil_certificates_source_reference",
                table: "soil_certificates",
                column: "source_reference",
                unique: true);

            // Until now a dwelling pointed at its parcel. Give every existing dwelling a building of its own on that
            // parcel (same id as the dwelling), then point the dwelling at the building.
            migrationBuilder.Sql("""
                INSERT INTO buildings (id, construction_year, is_residential) SELECT id, NULL, true FROM dwellings;
                INSERT INTO building_parcels (building_id, parcel_id) SELECT id, building_id FROM dwellings;
                UPDATE dwellings SET building_id = id;
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_dwellings_buildings_building_id",
                table: "dwellings",
                column: "building_id",
                principalTable: "buildings",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_dwellings_buildings_building_id",
                table: "dwellings");

            migrationBuilder.Sql("""
                UPDATE dwellings d SET building_id =
                    (SELECT min(parcel_id::text)::uuid FROM building_parcels bp WHERE bp.building_id = d.building_id);
                """);

            migrationBuilder.DropTable(
                name: "asbestos_certificates");

            migrationBuilder.DropTable(
                name: "building_parcels");

            migrationBuilder.DropTable(
                name: "conformity_certificates");

            migrationBuilder.DropTable(
                name: "deeds");

            migrationBuilder.DropTable(
                name: "flood_scores");

            migrationBuilder.DropTable(
                name: "installations");

            migrationBuilder.DropTable(
                name: "owner_documents");

            migrationBuilder.DropTable(
                name: "permits");

            migrationBuilder.DropTable(
                name: "soil_certificates");

            migrationBuilder.DropTable(
                name: "buildings");

            migrationBuilder.DropIndex(
                name: "ix_addresses_postal_code_street_house_number",
                table: "addresses");

            migrationBuilder.DropColumn(
                name: "source_updated_at",
                table: "energy_certificates");

            migrationBuilder.RenameColumn(
                name: "capakey",
                table: "parcels",
                newName: "ca_pa_key");

            migrationBuilder.RenameIndex(
                name: "ix_parcels_capakey",
                table: "parcels",
                newName: "ix_parcels_ca_pa_key");

            migrationBuilder.RenameColumn(
                name: "source_reference",
                table: "energy_certificates",
                newName: "certificate_number");

            migrationBuilder.RenameIndex(
                name: "ix_energy_certificates_source_reference",
                table: "energy_certificates",
                newName: "ix_energy_certificates_certificate_number");

            migrationBuilder.RenameColumn(
                name: "building_id",
                table: "dwellings",
                newName: "parcel_id");

            migrationBuilder.RenameIndex(
                name: "ix_dwellings_building_id",
                table: "dwellings",
                newName: "ix_dwellings_parcel_id");

            migrationBuilder.AddForeignKey(
                name: "fk_dwellings_parcels_parcel_id",
                table: "dwellings",
                column: "parcel_id",
                principalTable: "parcels",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
