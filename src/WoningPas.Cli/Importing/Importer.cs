using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace WoningPas.Cli.Importing;

public sealed record ImportSummary(int Rows, int Imported, int Rejected, bool Written, string? ReportPath);

/// <summary>
/// Imports a source agency's CSV file. Every row is validated, field by field and against the database (the
/// address must identify exactly one dwelling; a certificate number appears once). By default one bad row rejects
/// the whole file and nothing is written; with <c>skipInvalid</c> the valid rows are written and the rejects go to a
/// report. Rows stream through a temporary staging table, so memory does not grow with the file.
/// </summary>
internal sealed class Importer(string connectionString, TextWriter output)
{
    private const int ErrorsShown = 20;

    public async Task<ImportSummary> ImportAsync(ImportSource source, string path, bool skipInvalid,
        CancellationToken cancellationToken)
    {
        var reportPath = path + ".rejects.csv";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CreateStagingAsync(connection, source, cancellationToken);

        await using var report = new StreamWriter(reportPath);
        await report.WriteLineAsync("line,field,rule");
        var errors = new ErrorSink(report, output);

        var rows = await StageAsync(connection, source, path, errors, cancellationToken);
        if (rows < 0)
        {
            return new ImportSummary(0, 0, errors.Count, Written: false, reportPath);
        }

        await CheckAgainstDatabaseAsync(connection, errors, cancellationToken);
        var rejectedRows = await CountAsync(connection, "SELECT count(*) FROM import_staging WHERE rejected", cancellationToken)
            + errors.UnstagedRows;
        if (errors.Count > 0 && !skipInvalid)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ImportSummary(rows, 0, rejectedRows, Written: false, reportPath);
        }

#pragma warning disable CA2100 // the statement is a constant of the import source
        await using (var upsert = new NpgsqlCommand(source.UpsertSql, connection, transaction) { CommandTimeout = 0 })
#pragma warning restore CA2100
        {
            var imported = await upsert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new ImportSummary(rows, imported, rejectedRows, Written: true, errors.Count > 0 ? reportPath : null);
        }
    }

    private static async Task CreateStagingAsync(NpgsqlConnection connection, ImportSource source,
        CancellationToken cancellationToken)
    {
        var columns = source.Columns.Select(c => $"{c.Name} {SqlType(c.Type)}")
            .Concat(source.Derived.Select(d => $"{d.Name} {SqlType(d.Type)}"));
        await ExecuteAsync(connection,
            $"CREATE TEMP TABLE import_staging (line int PRIMARY KEY, {string.Join(", ", columns)}, " +
            "dwelling_id uuid, rejected boolean NOT NULL DEFAULT false) ON COMMIT DROP", cancellationToken);
    }

    /// <summary>Parses and validates every row, copying the well-formed ones to staging. -1 when the header is unusable.</summary>
    private static async Task<int> StageAsync(NpgsqlConnection connection, ImportSource source, string path,
        ErrorSink errors, CancellationToken cancellationToken)
    {
        using var file = new StreamReader(path);
        var csv = new CsvReader(file);
        var header = csv.ReadHeader();
        var missing = source.Columns.Where(c => c.Required && (header is null || !header.Contains(c.Name))).Select(c => c.Name).ToList();
        if (header is null || missing.Count > 0)
        {
            await errors.AddAsync(new ImportError(1, string.Join(" ", missing), header is null
                ? "the file is empty" : $"the header lacks required columns; expected {string.Join(",", source.Columns.Select(c => c.Name))}"), 0);
            return -1;
        }

        var positions = source.Columns.ToDictionary(c => c.Name, c => header.ToList().IndexOf(c.Name));
        var staged = source.Columns.Select(c => c.Name).Concat(source.Derived.Select(d => d.Name)).ToList();
        var rows = 0;
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY import_staging (line, {string.Join(", ", staged)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (csv.ReadRecord(out _) is { } fields)
        {
            rows++;
            var line = csv.LineNumber;
            if (fields.Count != header.Count)
            {
                await errors.AddAsync(new ImportError(line, "", $"has {fields.Count} fields, the header {header.Count}"), 1);
                continue;
            }

            var values = new Dictionary<string, object?>();
            var rowErrors = new List<ImportError>();
            foreach (var column in source.Columns)
            {
                var text = positions[column.Name] >= 0 ? fields[positions[column.Name]] : "";
                if (text.Length == 0)
                {
                    if (column.Required)
                    {
                        rowErrors.Add(new ImportError(line, column.Name, "is required"));
                    }

                    values[column.Name] = null;
                    continue;
                }

                var parsed = column.Parse(text);
                if (parsed.Rule is not null)
                {
                    rowErrors.Add(new ImportError(line, column.Name, parsed.Rule));
                }

                values[column.Name] = parsed.Value;
            }

            if (rowErrors.Count == 0 && source.RowRule(values) is { } crossField)
            {
                rowErrors.Add(crossField with { Line = line });
            }

            if (rowErrors.Count > 0)
            {
                foreach (var error in rowErrors)
                {
                    await errors.AddAsync(error, 0);
                }

                errors.CountUnstagedRow();
                continue;
            }

            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(line, NpgsqlDbType.Integer, cancellationToken);
            foreach (var column in source.Columns)
            {
                await WriteAsync(importer, values[column.Name], column.Type, cancellationToken);
            }

            foreach (var derived in source.Derived)
            {
                await WriteAsync(importer, derived.Compute(values), derived.Type, cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>The rules only the database can check, marked on the staging rows and reported with their line.</summary>
    private static async Task CheckAgainstDatabaseAsync(NpgsqlConnection connection, ErrorSink errors,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, """
            UPDATE import_staging s SET dwelling_id = m.dwelling_id
            FROM (SELECT a.register_id, min(d.id::text)::uuid AS dwelling_id, count(*) AS dwellings
                  FROM addresses a JOIN dwellings d ON d.address_id = a.id
                  WHERE a.register_id IN (SELECT address_register_id FROM import_staging)
                  GROUP BY a.register_id) m
            WHERE m.register_id = s.address_register_id AND m.dwellings = 1
            """, cancellationToken);

        const string findings = """
            SELECT s.line, 'address_register_id', 'matches no dwelling in WoningPas'
            FROM import_staging s
            WHERE s.dwelling_id IS NULL AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.register_id = s.address_register_id)
            UNION ALL
            SELECT s.line, 'address_register_id', 'the address holds several dwellings: a certificate must name one'
            FROM import_staging s
            WHERE s.dwelling_id IS NULL AND EXISTS (SELECT 1 FROM addresses a WHERE a.register_id = s.address_register_id)
            UNION ALL
            SELECT s.line, 'certificate_number', 'appears more than once in the file (first on line ' || f.first_line || ')'
            FROM import_staging s
            JOIN (SELECT certificate_number, min(line) AS first_line FROM import_staging GROUP BY certificate_number) f
              ON f.certificate_number = s.certificate_number AND f.first_line <> s.line
            ORDER BY 1
            """;
        var rejectedLines = new List<int>();
        await using (var command = new NpgsqlCommand(findings, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                await errors.AddAsync(new ImportError(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)), 0);
                rejectedLines.Add(reader.GetInt32(0));
            }
        }

        if (rejectedLines.Count > 0)
        {
            await using var reject = new NpgsqlCommand("UPDATE import_staging SET rejected = true WHERE line = ANY($1)", connection)
            {
                Parameters = { new() { Value = rejectedLines.Distinct().ToArray() } },
            };
            await reject.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, NpgsqlDbType type,
        CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private static string SqlType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Date => "date",
        NpgsqlDbType.Numeric => "numeric",
        NpgsqlDbType.Boolean => "boolean",
        NpgsqlDbType.Integer => "integer",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No staging type for this column type."),
    };

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // constant statements of this class
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // constant statements of this class and of the import sources
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every error goes to the report file; the first few also to the console.</summary>
    private sealed class ErrorSink(StreamWriter report, TextWriter console)
    {
        public int Count { get; private set; }

        public int UnstagedRows { get; private set; }

        public void CountUnstagedRow() => UnstagedRows++;

        public async Task AddAsync(ImportError error, int unstagedRows)
        {
            Count++;
            UnstagedRows += unstagedRows;
            await report.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{error.Line},{Quote(error.Field)},{Quote(error.Rule)}"));
            if (Count <= ErrorsShown)
            {
                await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  line {error.Line}: {(error.Field.Length > 0 ? error.Field + " " : "")}{error.Rule}"));
            }
        }

        private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
