using System.Collections.Concurrent;
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
/// <remarks>
/// Every request of the API waits for this writer, so its latency is theirs. It runs on a thread of its own with
/// synchronous I/O on one long-lived connection: under load the thread pool's queue holds hundreds of request
/// continuations, and a writer that awaited each round trip queued behind all of them (measured: 30 ms a batch, of
/// which the database needed under 1 ms). A batch is two round trips: BEGIN, lock, last hash and ids; then the rows
/// and COMMIT. A failed batch drops the connection, which rolls its transaction back, and the next batch opens a new
/// one. The next batch cannot start before this one commits and does not need to: the lock orders the batches of
/// every replica, and a batch started early would only wait for it in the database.
/// </remarks>
public sealed class AccessLogWriter(IOptions<DatabaseSettings> database, TimeProvider time, ILogger<AccessLogWriter> logger,
    AccessLogMetrics metrics)
    : BackgroundService
{
    // Any constant works as long as every writer uses the same one; this is "WPAL" in ASCII.
    private const long ChainLockKey = 0x5750_414C;
    private const int MaxBatch = 512;

    private const string BeginSql = "BEGIN";
    private const string LockSql = "SELECT pg_advisory_xact_lock($1)";
    private const string LastHashSql = "SELECT hash FROM access_log ORDER BY id DESC LIMIT 1";
    private const string IdsSql = "SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, $1)";

    private const string InsertSql =
        "INSERT INTO access_log (id, occurred_at, actor_id, acting_for_id, actor_role, actor_organisation, action, " +
        "object_kind, object_id, dwelling_id, purpose, outcome, client_address, correlation_id, previous_hash, hash) " +
        "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

    private const string CommitSql = "COMMIT";

    // A blocking queue, not a channel: a channel wakes its waiting reader through the thread pool, whose queue is the
    // very delay this writer keeps out of the requests' way.
    private readonly BlockingCollection<Pending> _queue = new(new ConcurrentQueue<Pending>());
    private volatile bool _disposed;

    private sealed record Pending(AccessLogEntry Entry, TaskCompletionSource<AccessLogEntry> Committed);

    public async Task<AccessLogEntry> AppendAsync(AccessLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pending = new Pending(
            entry with { OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()) },
            new TaskCompletionSource<AccessLogEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            _queue.Add(pending, CancellationToken.None);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
        {
            throw new InvalidOperationException("The access log is shutting down: the read cannot be recorded.", exception);
        }

        // Once handed over the entry is written even if the caller gives up: the attempt happened.
        return await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Entries already handed over are still written before the host stops. A host torn down twice (a test
        // factory's dispose after its host already stopped) may stop this writer after disposing it.
        if (!_disposed)
        {
            _queue.CompleteAdding();
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _disposed = true;
        _queue.Dispose();
        base.Dispose();
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(MaxBatch);
        var entries = new List<AccessLogEntry>(MaxBatch);
        NpgsqlConnection? connection = null;
        try
        {
            // This thread is the writer's alone: blocking here keeps it off the thread pool's queue.
            while (_queue.TryTake(out var first, Timeout.Infinite))
            {
                batch.Clear();
                entries.Clear();
                batch.Add(first);
                entries.Add(first.Entry);
                while (batch.Count < MaxBatch && _queue.TryTake(out var pending))
                {
                    batch.Add(pending);
                    entries.Add(pending.Entry);
                }

                var started = time.GetTimestamp();
                try
                {
                    connection ??= Open();
                    var written = Write(connection, entries);
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
                    // Closing the connection rolls back whatever the batch had begun.
                    connection?.Dispose();
                    connection = null;
                    foreach (var pending in batch)
                    {
                        pending.Committed.SetException(exception);
                    }
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(database.Value.WoningPas);
        try
        {
            connection.Open();
            // The chain head must be read through the primary key however the statistics read. The batch is prepared
            // once per connection, so its plan is made once: made while the statistics still said "empty" (a new or
            // restored database that was vacuumed), it was a scan of the whole log and a sort, in every batch, until
            // autovacuum next analysed the table (measured: a batch 8-16 ms at 6,000 entries, growing with the log).
            using (var planning = new NpgsqlCommand("SET enable_seqscan = off", connection))
            {
                planning.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private List<AccessLogEntry> Write(NpgsqlConnection connection, List<AccessLogEntry> entries)
    {
        byte[] previous;
        var ids = new List<long>(entries.Count);
        using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(BeginSql),
                new NpgsqlBatchCommand(LockSql) { Parameters = { new() { Value = ChainLockKey, NpgsqlDbType = NpgsqlDbType.Bigint } } },
                new NpgsqlBatchCommand(LastHashSql),
                new NpgsqlBatchCommand(IdsSql) { Parameters = { new() { Value = entries.Count, NpgsqlDbType = NpgsqlDbType.Integer } } },
            },
        })
        {
            batch.Prepare();
            // The reader skips BEGIN, which returns no rows, and starts at the lock's result.
            using var reader = batch.ExecuteReader();
            reader.NextResult();
            previous = reader.Read() ? (byte[])reader.GetValue(0) : AccessLogChain.Genesis;
            reader.NextResult();
            while (reader.Read())
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

        using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(InsertSql)
                {
                    Parameters =
                    {
                        Column(chained, e => e.Id, NpgsqlDbType.Bigint),
                        Column(chained, e => e.OccurredAt, NpgsqlDbType.TimestampTz),
                        Column(chained, e => e.ActorId, NpgsqlDbType.Text),
                        Column(chained, e => e.ActingForId, NpgsqlDbType.Text),
                        Column(chained, e => e.ActorRole, NpgsqlDbType.Text),
                        Column(chained, e => e.ActorOrganisation, NpgsqlDbType.Text),
                        Column(chained, e => e.Action.ToString(), NpgsqlDbType.Text),
                        Column(chained, e => e.ObjectKind, NpgsqlDbType.Text),
                        Column(chained, e => e.ObjectId, NpgsqlDbType.Text),
                        Column(chained, e => e.DwellingId, NpgsqlDbType.Uuid),
                        Column(chained, e => e.Purpose, NpgsqlDbType.Text),
                        Column(chained, e => e.Outcome.ToString(), NpgsqlDbType.Text),
                        Column(chained, e => e.ClientAddress, NpgsqlDbType.Text),
                        Column(chained, e => e.CorrelationId, NpgsqlDbType.Text),
                        Column(chained, e => e.PreviousHash, NpgsqlDbType.Bytea),
                        Column(chained, e => e.Hash, NpgsqlDbType.Bytea),
                    },
                },
                new NpgsqlBatchCommand(CommitSql),
            },
        })
        {
            batch.Prepare();
            batch.ExecuteNonQuery();
        }

        return chained;
    }

    private static NpgsqlParameter Column<T>(List<AccessLogEntry> entries, Func<AccessLogEntry, T> value, NpgsqlDbType type) =>
        new() { Value = entries.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
