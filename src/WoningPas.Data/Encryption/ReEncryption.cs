using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace WoningPas.Data.Encryption;

/// <summary>How many values one column holds under one key version (0: stored before encryption).</summary>
public sealed record VersionCount(string Table, string Column, int Version, long Values);

/// <summary>
/// Rewrites encrypted values under the key ring's active version, batch by batch in primary-key order. Every batch
/// is its own statement, and a row is only rewritten when its values are still the ones read (a concurrent change
/// wins and is picked up by the next pass), so the work can be interrupted at any point and simply run again.
/// </summary>
public sealed class ReEncryption(string connectionString, KeyRing ring, TextWriter progress)
{
    public int BatchSize { get; init; } = 2_000;

    /// <summary>
    /// Re-encrypts every value not under the active version (or, with <paramref name="plaintextOnly"/>, only values
    /// stored before encryption existed), passing over the tables again until a pass finds nothing left.
    /// </summary>
    public async Task<long> RunAsync(bool plaintextOnly, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        long total = 0;
        while (true)
        {
            long pass = 0;
            foreach (var table in EncryptedColumns.Tables)
            {
                pass += await TableAsync(connection, table, plaintextOnly, cancellationToken);
            }

            pass += await DocumentContentsAsync(connection, plaintextOnly, cancellationToken);

            total += pass;
            if (pass == 0)
            {
                return total;
            }
        }
    }

    /// <summary>Values per table, column and key version.</summary>
    public static async Task<List<VersionCount>> CountAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var counts = new List<VersionCount>();
        foreach (var table in EncryptedColumns.Tables.Append(EncryptedColumns.DocumentContents))
        {
            foreach (var column in table.Columns)
            {
#pragma warning disable CA2100 // table and column names come from EncryptedColumns, never from input
                await using var command = new NpgsqlCommand(
                    $"SELECT v, count(*) FROM (SELECT {EncryptedColumns.VersionSql(column)} AS v FROM {table.Table}) x WHERE v IS NOT NULL GROUP BY v ORDER BY v",
                    connection);
#pragma warning restore CA2100
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    counts.Add(new VersionCount(table.Table, column, reader.GetInt32(0), reader.GetInt64(1)));
                }
            }
        }

        return counts;
    }

    private async Task<long> TableAsync(NpgsqlConnection connection, EncryptedTable table, bool plaintextOnly,
        CancellationToken cancellationToken)
    {
        var predicate = string.Join(" OR ", table.Columns.Select(c => plaintextOnly
            ? $"({EncryptedColumns.VersionSql(c)}) = 0"
            : $"({EncryptedColumns.VersionSql(c)}) <> {ring.ActiveVersion.ToString(CultureInfo.InvariantCulture)}"));
        var columns = string.Join(", ", table.Columns);
        var pending = await PendingAsync(connection, table, predicate, cancellationToken);
        if (pending == 0)
        {
            return 0;
        }

        var select = $"SELECT id, {columns} FROM {table.Table} WHERE id > $1 AND ({predicate}) ORDER BY id LIMIT $2";
        var update = UpdateSql(table);
        var stopwatch = Stopwatch.StartNew();
        var last = Guid.Empty;
        long done = 0;
        TimeSpan? reported = null;
        while (true)
        {
            var batch = await ReadBatchAsync(connection, select, table.Columns.Count, last, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            done += await WriteBatchAsync(connection, table, update, batch, cancellationToken);
            last = batch[^1].Id;
            // The first batch and then about once a second: millions of rows should not mean thousands of lines.
            if (reported is null || stopwatch.Elapsed - reported >= TimeSpan.FromSeconds(1))
            {
                reported = stopwatch.Elapsed;
                await ReportAsync(table, done, pending, stopwatch.Elapsed);
            }
        }

        await ReportAsync(table, done, pending, stopwatch.Elapsed);
        return done;
    }

    /// <summary>
    /// Rewrites each document content not under the active version, streaming from one connection into an UPDATE on
    /// the other, so no document is held in memory whole. A content stored before encryption is taken as plain bytes.
    /// The row is only rewritten while it still starts with the header and first nonce that were read.
    /// </summary>
#pragma warning disable CA2000 // every command and stream here is in an await using; the analyser loses track across the pragmas
    private async Task<long> DocumentContentsAsync(NpgsqlConnection connection, bool plaintextOnly,
        CancellationToken cancellationToken)
    {
        var version = EncryptedColumns.VersionSql("content");
        var predicate = plaintextOnly
            ? $"({version}) = 0"
            : $"({version}) <> {ring.ActiveVersion.ToString(CultureInfo.InvariantCulture)}";
        var ids = new List<Guid>();
#pragma warning disable CA2100 // built from EncryptedColumns and the active version number only
        await using (var list = new NpgsqlCommand($"SELECT document_id FROM document_contents WHERE {predicate} ORDER BY document_id", connection))
        {
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        if (ids.Count == 0)
        {
            return 0;
        }

        var table = EncryptedColumns.DocumentContents;
        var stopwatch = Stopwatch.StartNew();
        await using var source = new NpgsqlConnection(connectionString);
        await source.OpenAsync(cancellationToken);
        long done = 0;
        foreach (var id in ids)
        {
            await using var read = new NpgsqlCommand(
                $"SELECT {version}, length(content), substring(content from 1 for {ChunkedContent.PrefixSize}), content " +
                $"FROM document_contents WHERE document_id = $1 AND ({predicate})", source)
            {
                Parameters = { new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid } },
            };
#pragma warning restore CA2100
            await using var reader = await read.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                continue;
            }

            var stored = reader.GetInt32(0);
            var length = (long)reader.GetInt32(1);
            var prefix = await reader.GetFieldValueAsync<byte[]>(2, cancellationToken);
            var address = new FieldAddress(table.Table, table.Columns[0], id);
            await using var raw = await reader.GetStreamAsync(3, cancellationToken);
            await using var decrypting = ring.DecryptingStream(raw, address);
            var plain = stored == 0 ? raw : decrypting;
            var plainLength = stored == 0 ? length : ChunkedContent.PlainLength(length);
            await using var fresh = ring.EncryptingStream(plain, plainLength, address);
#pragma warning disable CA2100 // built from a constant only
            await using var write = new NpgsqlCommand(
                $"UPDATE document_contents SET content = $2 WHERE document_id = $1 AND substring(content from 1 for {ChunkedContent.PrefixSize}) = $3",
                connection)
            {
                Parameters =
                {
                    new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid },
                    new() { Value = fresh, NpgsqlDbType = NpgsqlDbType.Bytea, Size = checked((int)ChunkedContent.EncryptedLength(plainLength)) },
                    new() { Value = prefix, NpgsqlDbType = NpgsqlDbType.Bytea },
                },
            };
#pragma warning restore CA2100
            done += await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await ReportAsync(table, done, ids.Count, stopwatch.Elapsed);
        return done;
    }
#pragma warning restore CA2000

    private Task ReportAsync(EncryptedTable table, long done, long pending, TimeSpan elapsed) =>
        progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {table.Table}: {done:N0} of {pending:N0} rows re-encrypted under key version {ring.ActiveVersion} ({done / Math.Max(elapsed.TotalSeconds, 0.001):N0} rows/s)"));

    private sealed record Row(Guid Id, byte[]?[] Values);

    private static async Task<long> PendingAsync(NpgsqlConnection connection, EncryptedTable table, string predicate,
        CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // built from EncryptedColumns and the active version number only
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table.Table} WHERE {predicate}", connection);
#pragma warning restore CA2100
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<Row>> ReadBatchAsync(NpgsqlConnection connection, string select, int columns, Guid after,
        CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // built from EncryptedColumns and the active version number only
        await using var command = new NpgsqlCommand(select, connection)
        {
            Parameters = { new() { Value = after }, new() { Value = BatchSize } },
        };
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>(BatchSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new byte[]?[columns];
            for (var i = 0; i < columns; i++)
            {
                values[i] = reader.IsDBNull(i + 1) ? null : reader.GetFieldValue<byte[]>(i + 1);
            }

            rows.Add(new Row(reader.GetGuid(0), values));
        }

        return rows;
    }

    private async Task<int> WriteBatchAsync(NpgsqlConnection connection, EncryptedTable table, string update,
        List<Row> batch, CancellationToken cancellationToken)
    {
        var columns = table.Columns.Count;
        var fresh = Enumerable.Range(0, columns).Select(_ => new byte[]?[batch.Count]).ToArray();
        var index = new byte[]?[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            var row = batch[r];
            for (var c = 0; c < columns; c++)
            {
                if (row.Values[c] is not { } stored)
                {
                    continue;
                }

                var plaintext = Plaintext(stored, new FieldAddress(table.Table, table.Columns[c], row.Id));
                fresh[c][r] = ring.Encrypt(plaintext, new FieldAddress(table.Table, table.Columns[c], row.Id));
                if (table.Index is { } blind && blind.SourceColumn == table.Columns[c])
                {
                    index[r] = ring.BlindIndex(blind.Purpose, blind.Normalised(plaintext));
                }
            }
        }

#pragma warning disable CA2100 // built from EncryptedColumns only
        await using var command = new NpgsqlCommand(update, connection);
#pragma warning restore CA2100
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.Id).ToArray() });
        for (var c = 0; c < columns; c++)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = fresh[c], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            var column = c;
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = batch.Select(r => r.Values[column]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea,
            });
        }

        if (table.Index is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = index, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A value stored before encryption existed is plain UTF-8 (converted from text by the migration).</summary>
    private string Plaintext(byte[] stored, FieldAddress address) =>
        KeyRing.VersionOf(stored) == 0 ? Encoding.UTF8.GetString(stored).TrimEnd() : ring.Decrypt(stored, address);

    /// <summary>
    /// One statement per batch: <c>UPDATE … FROM unnest(ids, new₀, old₀, new₁, old₁, …, index)</c>, rewriting a row only
    /// while it still holds the values that were read.
    /// </summary>
    private static string UpdateSql(EncryptedTable table)
    {
        var n = table.Columns.Count;
        var sets = table.Columns.Select((c, i) => $"{c} = v.n{i}").ToList();
        var guards = table.Columns.Select((c, i) => $"t.{c} IS NOT DISTINCT FROM v.o{i}");
        var names = new List<string> { "id" };
        var parameters = new List<string> { "$1" };
        for (var i = 0; i < n; i++)
        {
            names.Add($"n{i}");
            names.Add($"o{i}");
            parameters.Add($"${2 + (2 * i)}");
            parameters.Add($"${3 + (2 * i)}");
        }

        if (table.Index is { } index)
        {
            sets.Add($"{index.Column} = v.ix");
            names.Add("ix");
            parameters.Add($"${2 + (2 * n)}");
        }

        return $"UPDATE {table.Table} AS t SET {string.Join(", ", sets)} " +
               $"FROM unnest({string.Join(", ", parameters)}) AS v({string.Join(", ", names)}) " +
               $"WHERE t.id = v.id AND {string.Join(" AND ", guards)}";
    }
}
