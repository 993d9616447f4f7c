using System.Security.Cryptography;
using Npgsql;

namespace WoningPas.Data.Encryption;

/// <summary>The <c>data_keys</c> table: every change is one statement or one transaction, so racing hosts agree.</summary>
public static class KeyStore
{
    public const string Table = "data_keys";

    public static async Task<List<DataKeyVersion>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(
            "SELECT version, state, wrapped_by, wrapped_data_key, wrapped_index_key, created_at, retired_at, destroyed_at FROM data_keys ORDER BY version",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<DataKeyVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new DataKeyVersion
            {
                Version = reader.GetInt32(0),
                State = Enum.Parse<DataKeyState>(reader.GetString(1)),
                WrappedBy = reader.GetString(2),
                WrappedDataKey = reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3),
                WrappedIndexKey = reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                RetiredAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                DestroyedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            });
        }

        return versions;
    }

    /// <summary>Version 1 on an empty table; a host that loses the race simply reads the winner's.</summary>
    internal static async Task AddFirstAsync(NpgsqlConnection connection, IKeyEncryptionKey kek, TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var command = InsertCommand(connection, null, 1, kek, time);
        command.CommandText += " ON CONFLICT DO NOTHING";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Makes a new active version; the active one becomes retiring. Returns the new version number.</summary>
    public static async Task<int> AddVersionAsync(NpgsqlConnection connection, IKeyEncryptionKey kek, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE data_keys IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        int next;
        await using (var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) + 1 FROM data_keys", connection, transaction))
        {
            next = (int)(await max.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var retire = new NpgsqlCommand("UPDATE data_keys SET state = 'Retiring' WHERE state = 'Active'", connection, transaction))
        {
            await retire.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = InsertCommand(connection, transaction, next, kek, time))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return next;
    }

    /// <summary>Marks retiring versions that no value uses any more as retired.</summary>
    public static async Task RetireAsync(NpgsqlConnection connection, IEnumerable<int> versions, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        await using var command = new NpgsqlCommand(
            "UPDATE data_keys SET state = 'Retired', retired_at = $2 WHERE state = 'Retiring' AND version = ANY($1)", connection)
        {
            Parameters = { new() { Value = versions.ToArray() }, new() { Value = time.GetUtcNow() } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets a retired version's wrapped keys. True when it was retired and is now destroyed.</summary>
    public static async Task<bool> DestroyAsync(NpgsqlConnection connection, int version, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        await using var command = new NpgsqlCommand(
            "UPDATE data_keys SET state = 'Destroyed', wrapped_data_key = NULL, wrapped_index_key = NULL, destroyed_at = $2 WHERE version = $1 AND state = 'Retired'",
            connection)
        {
            Parameters = { new() { Value = version }, new() { Value = time.GetUtcNow() } },
        };
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static NpgsqlCommand InsertCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, int version,
        IKeyEncryptionKey kek, TimeProvider time)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var indexKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            return new NpgsqlCommand(
                "INSERT INTO data_keys (version, state, wrapped_by, wrapped_data_key, wrapped_index_key, created_at) VALUES ($1, 'Active', $2, $3, $4, $5)",
                connection, transaction)
            {
                Parameters =
                {
                    new() { Value = version },
                    new() { Value = kek.Id },
                    new() { Value = kek.Wrap(dataKey) },
                    new() { Value = kek.Wrap(indexKey) },
                    new() { Value = time.GetUtcNow() },
                },
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(indexKey);
        }
    }
}
