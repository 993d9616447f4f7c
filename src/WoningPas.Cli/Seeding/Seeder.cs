using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Data;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Domain;

namespace WoningPas.Cli.Seeding;

public sealed record SeedSummary(int Dwellings, long Rows, TimeSpan Elapsed, bool AlreadySeeded)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Writes a synthetic Flanders with PostgreSQL binary COPY, one connection per table, as many tables at a time as
/// there are cores. Secondary indexes and foreign keys of the seeded tables are dropped during the load and rebuilt
/// after it: building an index once is far cheaper than maintaining it row by row. Re-running with the same
/// parameters finds the data in place; with other parameters it replaces the earlier synthetic rows only.
/// </summary>
/// <remarks>
/// People are written encrypted: each row's INSZ and name are AES-GCM sealed and its blind index computed in the COPY
/// loop, with the key ring's keys unwrapped once beforehand (no HSM call per row, one AesGcm per thread).
/// </remarks>
internal sealed class Seeder(string connectionString, KeyRing ring, TextWriter progress)
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateTimeOffset Updated = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] SeededTables =
    [
        "people", "addresses", "parcels", "buildings", "building_parcels", "dwellings", "real_rights",
        "energy_certificates", "deeds", "asbestos_certificates", "conformity_certificates", "flood_scores",
        "soil_certificates", "permits", "installations",
    ];

    public async Task<SeedSummary> SeedAsync(int dwellings, long seed, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var flanders = new SyntheticFlanders(dwellings, seed);
        if (await IsAlreadySeededAsync(flanders, cancellationToken))
        {
            return new SeedSummary(dwellings, 0, stopwatch.Elapsed, AlreadySeeded: true);
        }

        await RemoveEarlierSyntheticRowsAsync(cancellationToken);
        var schema = await DropSecondaryIndexesAndForeignKeysAsync(cancellationToken);
        await using var control = new NpgsqlConnection(connectionString);
        await control.OpenAsync(cancellationToken);
        var paused = await PassportChanges.PauseInsertsAsync(control, null, SeededTables, cancellationToken);
        var counter = new RowCounter();
        using var reporter = new ProgressReporter(progress, counter, stopwatch);

        var jobs = Jobs(flanders, ring);
        await Parallel.ForEachAsync(jobs,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (job, token) => await CopyAsync(job.Table, job.Columns, job.Write, counter, token));

        reporter.Phase("adding foreign keys");
        await RestoreAsync(schema, reporter, cancellationToken);
        await PassportChanges.ResumeInsertsAsync(control, null, paused, cancellationToken);
        return new SeedSummary(dwellings, counter.Rows, stopwatch.Elapsed, AlreadySeeded: false);
    }

    private sealed record Job(string Table, string Columns, Action<NpgsqlBinaryImporter, RowCounter> Write);

    private static List<Job> Jobs(SyntheticFlanders f, KeyRing ring) =>
    [
        // The biggest tables first, so that two cores stay busy to the end.
        new("real_rights", "id, dwelling_id, holder_id, kind, share, valid_from, valid_until", (w, c) => WriteRights(f, w, c)),
        new("people", "id, insz, insz_index, display_name", (w, c) => WritePeople(f, ring, w, c)),
        new("addresses", "id, register_id, street, house_number, box_number, postal_code, municipality, nis_code", (w, c) => WriteAddresses(f, w, c)),
        new("dwellings", "id, address_id, building_id", (w, c) => WriteDwellings(f, w, c)),
        new("energy_certificates", "id, dwelling_id, source_reference, primary_energy_use, label, issued_on, valid_until, source_updated_at", (w, c) => WriteEpcs(f, w, c)),
        new("parcels", "id, capakey", (w, c) => WriteParcels(f, w, c)),
        new("buildings", "id, construction_year, is_residential", (w, c) => WriteBuildings(f, w, c)),
        new("building_parcels", "building_id, parcel_id", (w, c) => WriteBuildingParcels(f, w, c)),
        new("flood_scores", "parcel_id, parcel_score, building_score, source_reference, source_updated_at", (w, c) => WriteFloodScores(f, w, c)),
        new("installations", "id, dwelling_id, kind, description, source, source_reference, installed_on, last_inspected_on, next_inspection_due, source_updated_at", (w, c) => WriteInstallations(f, w, c)),
        new("deeds", "id, dwelling_id, source_reference, signed_on, label_at_deed, source_updated_at", (w, c) => WriteDeeds(f, w, c)),
        new("permits", "id, parcel_id, source_reference, kind, description, submitted_on, decided_on, decision, source_updated_at", (w, c) => WritePermits(f, w, c)),
        new("asbestos_certificates", "id, dwelling_id, source_reference, issued_on, has_high_risk_materials, valid_until, source_updated_at", (w, c) => WriteAsbestos(f, w, c)),
        new("soil_certificates", "id, parcel_id, source_reference, issued_on, in_land_information_register, source_updated_at", (w, c) => WriteSoil(f, w, c)),
        new("conformity_certificates", "id, dwelling_id, source_reference, issued_on, after_investigation_with_defects, valid_until, source_updated_at", (w, c) => WriteConformity(f, w, c)),
    ];

    private static void WritePeople(SyntheticFlanders f, KeyRing ring, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var person = 0; person < f.People; person++)
        {
            var id = SyntheticIds.For(SyntheticIds.Person, person);
            var insz = SyntheticFlanders.Insz(person);
            w.StartRow();
            w.Write(id, NpgsqlDbType.Uuid);
            w.Write(ring.Encrypt(insz, new FieldAddress(PersonFields.Table, PersonFields.InszColumn, id)), NpgsqlDbType.Bytea);
            w.Write(ring.BlindIndex(PersonFields.InszIndexPurpose, insz), NpgsqlDbType.Bytea);
            w.Write(ring.Encrypt(f.PersonName(person), new FieldAddress(PersonFields.Table, PersonFields.DisplayNameColumn, id)),
                NpgsqlDbType.Bytea);
            c.Add();
        }
    }

    private static void WriteAddresses(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            var (street, number, box, municipality) = f.Address(dwelling);
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Address, dwelling), NpgsqlDbType.Uuid);
            w.Write(string.Create(CultureInfo.InvariantCulture, $"https://data.vlaanderen.be/id/adres/{50_000_000 + dwelling}"), NpgsqlDbType.Text);
            w.Write(street, NpgsqlDbType.Text);
            w.Write(number, NpgsqlDbType.Text);
            WriteNullable(w, box);
            w.Write(municipality.Postal, NpgsqlDbType.Text);
            w.Write(municipality.Name, NpgsqlDbType.Text);
            w.Write(municipality.Nis, NpgsqlDbType.Text);
            c.Add();
        }
    }

    private static void WriteParcels(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var parcel = 0; parcel < f.Parcels; parcel++)
        {
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Parcel, parcel), NpgsqlDbType.Uuid);
            w.Write(SyntheticFlanders.CaPaKey(parcel), NpgsqlDbType.Text);
            c.Add();
        }
    }

    private static void WriteBuildings(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var building = 0; building < f.Buildings; building++)
        {
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Building, building), NpgsqlDbType.Uuid);
            w.Write(f.ConstructionYear(building), NpgsqlDbType.Integer);
            w.Write(true, NpgsqlDbType.Boolean);
            c.Add();
        }
    }

    private static void WriteBuildingParcels(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var building = 0; building < f.Buildings; building++)
        {
            for (var parcel = f.FirstParcelOfBuilding[building]; parcel < f.FirstParcelOfBuilding[building + 1]; parcel++)
            {
                w.StartRow();
                w.Write(SyntheticIds.For(SyntheticIds.Building, building), NpgsqlDbType.Uuid);
                w.Write(SyntheticIds.For(SyntheticIds.Parcel, parcel), NpgsqlDbType.Uuid);
                c.Add();
            }
        }
    }

    private static void WriteDwellings(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Address, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Building, f.BuildingOfDwelling[dwelling]), NpgsqlDbType.Uuid);
            c.Add();
        }
    }

    private static void WriteRights(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        long right = 0;
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            var holders = f.Holders(dwelling);
            var since = Deed(f, dwelling)?.SignedOn ?? new Dice(f.Seed, 10, dwelling).DayBetween(new DateOnly(1975, 1, 1), new DateOnly(2022, 12, 31));
            foreach (var (person, share) in holders)
            {
                w.StartRow();
                w.Write(SyntheticIds.For(SyntheticIds.Right, right++), NpgsqlDbType.Uuid);
                w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
                w.Write(SyntheticIds.For(SyntheticIds.Person, person), NpgsqlDbType.Uuid);
                w.Write(holders.Length == 1 ? "Owner" : "CoOwner", NpgsqlDbType.Text);
                w.Write(share, NpgsqlDbType.Numeric);
                w.Write(since, NpgsqlDbType.Date);
                w.WriteNull();
                c.Add();
            }
        }
    }

    /// <summary>About 65 % of dwellings have an EPC, issued since the scheme started in 2009.</summary>
    private static (decimal PrimaryEnergyUse, DateOnly IssuedOn)? Epc(SyntheticFlanders f, int dwelling)
    {
        var dice = new Dice(f.Seed, 11, dwelling);
        return dice.Chance(0.65)
            ? (Math.Round(f.PrimaryEnergyUse(ref dice), 1), dice.DayBetween(new DateOnly(2009, 1, 1), Today))
            : null;
    }

    /// <summary>About 30 % of dwellings changed hands by deed since 2015.</summary>
    private static (DateOnly SignedOn, EnergyLabel? Label)? Deed(SyntheticFlanders f, int dwelling)
    {
        var dice = new Dice(f.Seed, 12, dwelling);
        if (!dice.Chance(0.3))
        {
            return null;
        }

        var signedOn = dice.DayBetween(new DateOnly(2015, 1, 1), Today);
        var epc = Epc(f, dwelling);
        return (signedOn, epc is { } e && e.IssuedOn <= signedOn ? SyntheticFlanders.Label(e.PrimaryEnergyUse) : null);
    }

    private static void WriteEpcs(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            if (Epc(f, dwelling) is not { } epc)
            {
                continue;
            }

            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(Reference("EPC", dwelling), NpgsqlDbType.Text);
            w.Write(epc.PrimaryEnergyUse, NpgsqlDbType.Numeric);
            w.Write(SyntheticFlanders.Label(epc.PrimaryEnergyUse).ToString(), NpgsqlDbType.Text);
            w.Write(epc.IssuedOn, NpgsqlDbType.Date);
            w.Write(CertificateRules.EpcValidUntil(epc.IssuedOn), NpgsqlDbType.Date);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WriteDeeds(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            if (Deed(f, dwelling) is not { } deed)
            {
                continue;
            }

            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(Reference("AKTE", dwelling), NpgsqlDbType.Text);
            w.Write(deed.SignedOn, NpgsqlDbType.Date);
            WriteNullable(w, deed.Label?.ToString());
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WriteAsbestos(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            var dice = new Dice(f.Seed, 13, dwelling);
            if (!dice.Chance(0.15))
            {
                continue;
            }

            var issuedOn = dice.DayBetween(new DateOnly(2022, 11, 23), Today);
            var highRisk = dice.Chance(0.1);
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(Reference("ASB", dwelling), NpgsqlDbType.Text);
            w.Write(issuedOn, NpgsqlDbType.Date);
            w.Write(highRisk, NpgsqlDbType.Boolean);
            w.Write(CertificateRules.AsbestosValidUntil(issuedOn, highRisk), NpgsqlDbType.Date);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WriteConformity(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            var dice = new Dice(f.Seed, 14, dwelling);
            if (!dice.Chance(0.05))
            {
                continue;
            }

            var issuedOn = dice.DayBetween(new DateOnly(2012, 1, 1), Today);
            var defects = dice.Chance(0.2);
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(Reference("CA", dwelling), NpgsqlDbType.Text);
            w.Write(issuedOn, NpgsqlDbType.Date);
            w.Write(defects, NpgsqlDbType.Boolean);
            w.Write(CertificateRules.ConformityValidUntil(issuedOn, defects), NpgsqlDbType.Date);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static readonly string[] FloodRisks = ["A", "A", "A", "A", "A", "A", "B", "B", "C", "D"];

    private static void WriteFloodScores(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var parcel = 0; parcel < f.Parcels; parcel++)
        {
            var dice = new Dice(f.Seed, 15, parcel);
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Parcel, parcel), NpgsqlDbType.Uuid);
            w.Write(FloodRisks[dice.Below(FloodRisks.Length)], NpgsqlDbType.Text);
            w.Write(FloodRisks[dice.Below(FloodRisks.Length)], NpgsqlDbType.Text);
            w.Write("OVERSTROMING-2024", NpgsqlDbType.Text);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WriteSoil(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var parcel = 0; parcel < f.Parcels; parcel++)
        {
            var dice = new Dice(f.Seed, 16, parcel);
            if (!dice.Chance(0.2))
            {
                continue;
            }

            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, parcel), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Parcel, parcel), NpgsqlDbType.Uuid);
            w.Write(Reference("BA", parcel), NpgsqlDbType.Text);
            w.Write(dice.DayBetween(new DateOnly(2008, 1, 1), Today), NpgsqlDbType.Date);
            w.Write(dice.Chance(0.03), NpgsqlDbType.Boolean);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WritePermits(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var parcel = 0; parcel < f.Parcels; parcel++)
        {
            var dice = new Dice(f.Seed, 17, parcel);
            if (!dice.Chance(0.25))
            {
                continue;
            }

            var submitted = dice.DayBetween(new DateOnly(2000, 1, 1), Today.AddDays(-60));
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, parcel), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Parcel, parcel), NpgsqlDbType.Uuid);
            w.Write(Reference("OMV", parcel), NpgsqlDbType.Text);
            w.Write(dice.Chance(0.8) ? "Building" : "Environment", NpgsqlDbType.Text);
            w.Write("Verbouwing van een eengezinswoning", NpgsqlDbType.Text);
            w.Write(submitted, NpgsqlDbType.Date);
            w.Write(submitted.AddDays(30 + dice.Below(60)), NpgsqlDbType.Date);
            w.Write(dice.Chance(0.9) ? "Granted" : "Refused", NpgsqlDbType.Text);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static void WriteInstallations(SyntheticFlanders f, NpgsqlBinaryImporter w, RowCounter c)
    {
        for (var dwelling = 0; dwelling < f.Dwellings; dwelling++)
        {
            var dice = new Dice(f.Seed, 18, dwelling);
            if (!dice.Chance(0.4))
            {
                continue;
            }

            var installed = dice.DayBetween(new DateOnly(2005, 1, 1), Today);
            var heating = dice.Chance(0.6);
            w.StartRow();
            w.Write(SyntheticIds.For(SyntheticIds.Section, dwelling), NpgsqlDbType.Uuid);
            w.Write(SyntheticIds.For(SyntheticIds.Dwelling, dwelling), NpgsqlDbType.Uuid);
            w.Write(heating ? "Heating" : "SolarPanels", NpgsqlDbType.Text);
            w.Write(heating ? "Condensatieketel op aardgas" : "Fotovoltaïsche panelen 4 kWp", NpgsqlDbType.Text);
            w.Write("EnergyAgency", NpgsqlDbType.Text);
            w.Write(Reference("INST", dwelling), NpgsqlDbType.Text);
            w.Write(installed, NpgsqlDbType.Date);
            w.WriteNull();
            // A heating boiler is inspected every two years.
            WriteNullable(w, heating ? installed.AddYears((Today.Year - installed.Year) / 2 * 2 + 2) : null);
            w.Write(Updated, NpgsqlDbType.TimestampTz);
            c.Add();
        }
    }

    private static string Reference(string prefix, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-S-{index:D8}");

    private static void WriteNullable(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter w, DateOnly? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value.Value, NpgsqlDbType.Date);
        }
    }

    private async Task CopyAsync(string table, string columns, Action<NpgsqlBinaryImporter, RowCounter> write,
        RowCounter counter, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The importer's synchronous API is the fast one; this runs on its own thread and connection.
        await Task.Run(() =>
        {
            using var importer = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
            write(importer, counter);
            importer.Complete();
        }, cancellationToken);
    }

    /// <summary>The same parameters seeded before: the first and last synthetic dwelling exist with the same address.</summary>
    private async Task<bool> IsAlreadySeededAsync(SyntheticFlanders flanders, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM dwellings WHERE id >= $1 AND id < $2),
                   (SELECT a.street || ' ' || a.house_number FROM dwellings d JOIN addresses a ON a.id = d.address_id WHERE d.id = $3),
                   (SELECT a.street || ' ' || a.house_number FROM dwellings d JOIN addresses a ON a.id = d.address_id WHERE d.id = $4)
            """, connection)
        {
            Parameters =
            {
                new() { Value = SyntheticIds.First(SyntheticIds.Dwelling) },
                new() { Value = SyntheticIds.AfterLast(SyntheticIds.Dwelling) },
                new() { Value = SyntheticIds.For(SyntheticIds.Dwelling, 0) },
                new() { Value = SyntheticIds.For(SyntheticIds.Dwelling, flanders.Dwellings - 1) },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        string Expected(int dwelling) => $"{flanders.Address(dwelling).Street} {flanders.Address(dwelling).HouseNumber}";
        return reader.GetInt64(0) == flanders.Dwellings
            && !reader.IsDBNull(1) && reader.GetString(1) == Expected(0)
            && !reader.IsDBNull(2) && reader.GetString(2) == Expected(flanders.Dwellings - 1);
    }

    private async Task RemoveEarlierSyntheticRowsAsync(CancellationToken cancellationToken)
    {
        string Range(int kind, string column = "id") =>
            $"{column} >= '{SyntheticIds.First(kind)}' AND {column} < '{SyntheticIds.AfterLast(kind)}'";
        string[] statements =
        [
            .. new[] { "energy_certificates", "deeds", "asbestos_certificates", "conformity_certificates", "installations" }
                .Select(t => $"DELETE FROM {t} WHERE {Range(SyntheticIds.Section)}"),
            .. new[] { "soil_certificates", "permits" }.Select(t => $"DELETE FROM {t} WHERE {Range(SyntheticIds.Section)}"),
            $"DELETE FROM flood_scores WHERE {Range(SyntheticIds.Parcel, "parcel_id")}",
            $"DELETE FROM real_rights WHERE {Range(SyntheticIds.Right)}",
            $"DELETE FROM dwellings WHERE {Range(SyntheticIds.Dwelling)}",
            $"DELETE FROM building_parcels WHERE {Range(SyntheticIds.Building, "building_id")}",
            $"DELETE FROM buildings WHERE {Range(SyntheticIds.Building)}",
            $"DELETE FROM parcels WHERE {Range(SyntheticIds.Parcel)}",
            $"DELETE FROM addresses WHERE {Range(SyntheticIds.Address)}",
            $"DELETE FROM people WHERE {Range(SyntheticIds.Person)}",
        ];
        foreach (var statement in statements)
        {
            await ExecuteAsync(statement, cancellationToken);
        }
    }

    private sealed record Schema(List<string> Indexes, List<(string Table, string Name, string Definition)> ForeignKeys);

    private async Task<Schema> DropSecondaryIndexesAndForeignKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var foreignKeys = new List<(string, string, string)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)
            """, connection) { Parameters = { new() { Value = SeededTables } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i WHERE NOT i.indisprimary AND i.indrelid::regclass::text = ANY($1)
            """, connection) { Parameters = { new() { Value = SeededTables } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, name, _) in foreignKeys)
        {
            await ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT {name}", cancellationToken);
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX {name}", cancellationToken);
        }

        return new Schema([.. indexes.Select(i => i.Definition)], foreignKeys);
    }

    /// <summary>
    /// Index builds sort in maintenance_work_mem; a key check is a join of the whole referencing table against the
    /// referenced one, which hashes in work_mem and, at the default 4 MB, spills to disk in batches.
    /// </summary>
    private const string RestoreSettings = "SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'";

    /// <summary>
    /// Rebuilds what the load dropped, as far as possible two statements at a time. Adding a foreign key locks both of
    /// its tables against each other's writers, so the keys are added one by one as NOT VALID (no check, instant);
    /// checking them (VALIDATE CONSTRAINT) only locks the referencing table against schema changes, so the checks run
    /// side by side with the index builds and the statistics. Every key ends up validated, as before.
    /// </summary>
    private async Task RestoreAsync(Schema schema, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        foreach (var (table, name, definition) in schema.ForeignKeys)
        {
            await ExecuteAsync($"ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID", cancellationToken);
        }

        reporter.Phase("building indexes, checking keys");
        string[] work =
        [
            .. schema.Indexes,
            .. schema.ForeignKeys.Select(k => $"ALTER TABLE {k.Table} VALIDATE CONSTRAINT {k.Name}"),
            .. SeededTables.Select(t => $"ANALYZE {t}"),
        ];
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (statement, token) => await ExecuteAsync(statement, token, RestoreSettings));
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, string? setting = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (setting is not null)
        {
#pragma warning disable CA2100 // a constant setting of this class
            await using var set = new NpgsqlCommand(setting, connection);
#pragma warning restore CA2100
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

#pragma warning disable CA2100 // built here from catalog names and generated ids, never from input
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
