using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Monitoring;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>
/// Appends access-log entries with group commit. A request hands its entry over and waits until the entry is
/// committed, so no personal data leaves before its read is on record; meanwhile one writer per process chains and
/// commits all entries that arrived together in one transaction. The chain stays single across replicas because
/// every batch takes the same transaction-scoped advisory lock before it reads the last hash.
/// </summary>
public sealed class AccessLogWriter(IOptions<DatabaseSettings> database, TimeProvider time, ILogger<AccessLogWriter> logger,
    AccessLogMetrics metrics)
    : BackgroundService
{
    // Any constant works as long as every writer uses the same one; this is "WPAL" in ASCII.
    private const long ChainLockKey = 0x5750_414C;
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(AccessLogEntry Entry, TaskCompletionSource<AccessLogEntry> Committed);

    public async Task<AccessLogEntry> AppendAsync(AccessLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pending = new Pending(
            entry with { OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()) },
            new TaskCompletionSource<AccessLogEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The access log is shutting down: the read cannot be recorded.");
        }

        // Once handed over the entry is written even if the caller gives up: the attempt happened.
        return await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            var started = time.GetTimestamp();
            try
            {
                var written = await WriteAsync([.. batch.Select(p => p.Entry)]);
                metrics.Written(time.GetElapsedTime(started), batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Committed.SetResult(written[i]);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(exception, "Writing {Count} access-log entries failed; their reads are refused", batch.Count);
                metrics.Failed(batch.Count);
                foreach (var pending in batch)
                {
                    pending.Committed.SetException(exception);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Entries already handed over are still written before the host stops.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task<List<AccessLogEntry>> WriteAsync(List<AccessLogEntry> entries)
    {
        await using var connection = new NpgsqlConnection(database.Value.WoningPas);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        byte[] previous;
        var ids = new List<long>(entries.Count);
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = ChainLockKey } } },
                new NpgsqlBatchCommand("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1"),
                new NpgsqlBatchCommand("SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, $1)")
                {
                    Parameters = { new() { Value = entries.Count } },
                },
            },
        })
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            previous = await reader.ReadAsync() ? (byte[])reader.GetValue(0) : AccessLogChain.Genesis;
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var chained = new List<AccessLogEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] with { Id = ids[i], PreviousHash = previous };
            entry.Hash = AccessLogChain.ComputeHash(previous, entry);
            previous = entry.Hash;
            chained.Add(entry);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY access_log (id, occurred_at, actor_id, acting_for_id, actor_role, actor_organisation, action, object_kind, " +
            "object_id, dwelling_id, purpose, outcome, client_address, correlation_id, previous_hash, hash) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in chained)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(e.Id, NpgsqlDbType.Bigint);
                await importer.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(e.ActorId, NpgsqlDbType.Text);
                await WriteNullableAsync(importer, e.ActingForId);
                await importer.WriteAsync(e.ActorRole, NpgsqlDbType.Text);
                await WriteNullableAsync(importer, e.ActorOrganisation);
                await importer.WriteAsync(e.Action.ToString(), NpgsqlDbType.Text);
                await importer.WriteAsync(e.ObjectKind, NpgsqlDbType.Text);
                await WriteNullableAsync(importer, e.ObjectId);
                if (e.DwellingId is { } dwelling)
                {
                    await importer.WriteAsync(dwelling, NpgsqlDbType.Uuid);
                }
                else
                {
                    await importer.WriteNullAsync();
                }

                await importer.WriteAsync(e.Purpose, NpgsqlDbType.Text);
                await importer.WriteAsync(e.Outcome.ToString(), NpgsqlDbType.Text);
                await WriteNullableAsync(importer, e.ClientAddress);
                await WriteNullableAsync(importer, e.CorrelationId);
                await importer.WriteAsync(e.PreviousHash, NpgsqlDbType.Bytea);
                await importer.WriteAsync(e.Hash, NpgsqlDbType.Bytea);
            }

            await importer.CompleteAsync();
        }

        await transaction.CommitAsync();
        return chained;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value) =>
        value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, NpgsqlDbType.Text);
}
