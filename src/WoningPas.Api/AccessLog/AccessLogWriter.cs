using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
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
/// one; when the database refused the batch for what an entry holds, its entries are written again one by one, so
/// that one bad entry does not refuse up to 511 other people's reads. Every field is clamped to its column when
/// queued (<see cref="AccessLogColumns.Clamp"/>). Writes do not come here: their entry is appended inside their own
/// transaction (<see cref="AccessLogAppend"/>, decision 0017). The next batch cannot start before this one commits
/// and does not need to: the lock orders the batches of every replica, and a batch started early would only wait for
/// it in the database.
/// </remarks>
public sealed class AccessLogWriter(IOptions<DatabaseSettings> database, TimeProvider time, ILogger<AccessLogWriter> logger,
    AccessLogMetrics metrics)
    : BackgroundService
{
    private const int MaxBatch = 512;

    private const string BeginSql = "BEGIN";
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
            AccessLogColumns.Clamp(entry with { OccurredAt = AccessLogChain.TruncateToMicroseconds(time.GetUtcNow()) }),
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

                WriteBatch(ref connection, batch, entries);
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

    /// <summary>
    /// Writes the batch; when it fails because of what an entry holds (the database refused a statement), writes its
    /// entries one by one, so that only the request whose entry cannot be stored is refused and the reads of everybody
    /// else in the batch are still on record. A lost connection or a database that is down fails the whole batch at once.
    /// </summary>
    private void WriteBatch(ref NpgsqlConnection? connection, List<Pending> batch, List<AccessLogEntry> entries)
    {
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

            return;
        }
        catch (Exception exception) when (IsWriteFailure(exception))
        {
            Drop(ref connection);
            if (batch.Count == 1 || !IsCausedByAnEntry(exception))
            {
                Fail(batch, 0, exception);
                return;
            }

            logger.LogWarning(exception, "Writing {Count} access-log entries together failed; writing them one by one", batch.Count);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            started = time.GetTimestamp();
            try
            {
                connection ??= Open();
                var written = Write(connection, [batch[i].Entry])[0];
                metrics.Written(time.GetElapsedTime(started), 1);
                batch[i].Committed.SetResult(written);
            }
            catch (Exception exception) when (IsWriteFailure(exception))
            {
                Drop(ref connection);
                if (!IsCausedByAnEntry(exception))
                {
                    Fail(batch, i, exception);
                    return;
                }

                Fail(batch.GetRange(i, 1), 0, exception);
            }
        }
    }

    // The loop must survive whatever one batch throws: a writer thread that died would leave every later request
    // waiting for a commit that never comes.
    private static bool IsWriteFailure(Exception exception) =>
        exception is not OutOfMemoryException;

    /// <summary>
    /// The database refused a statement (a value, a constraint, a trigger), or a value could not even be encoded: the
    /// fault is in an entry, and the others can still be written without it.
    /// </summary>
    private static bool IsCausedByAnEntry(Exception exception) =>
        exception is PostgresException or ArgumentException or FormatException or InvalidCastException;

    private void Fail(List<Pending> batch, int from, Exception exception)
    {
        logger.LogError(exception, "Writing {Count} access-log entries failed; their reads are refused", batch.Count - from);
        metrics.Failed(batch.Count - from);
        for (var i = from; i < batch.Count; i++)
        {
            batch[i].Committed.TrySetException(exception);
        }
    }

    private static void Drop(ref NpgsqlConnection? connection)
    {
        // Closing the connection rolls back whatever the batch had begun.
        connection?.Dispose();
        connection = null;
    }

    private static List<AccessLogEntry> Write(NpgsqlConnection connection, List<AccessLogEntry> entries)
    {
        byte[] previous;
        var ids = new List<long>(entries.Count);
        using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(BeginSql));
            foreach (var command in AccessLogStatements.Head(entries.Count))
            {
                batch.BatchCommands.Add(command);
            }

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

        var chained = AccessLogStatements.Chain(entries, previous, ids);
        using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { AccessLogStatements.Insert(chained), new NpgsqlBatchCommand(CommitSql) },
        })
        {
            batch.Prepare();
            batch.ExecuteNonQuery();
        }

        return chained;
    }
}
