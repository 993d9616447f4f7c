using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>
/// Appends the entry of a write inside the write's own transaction, so that the write and its entry commit together
/// or not at all (decision 0017). It takes the chain's advisory lock like the group-commit writer, as the last step
/// before the caller commits: the lock is held for two round trips and the commit, not for the write itself.
/// </summary>
public static class AccessLogAppend
{
    private const string NoSeqScanSql = "SET LOCAL enable_seqscan = off";

    public static async Task<AccessLogEntry> InTransactionAsync(WoningPasDbContext db, AccessLogEntry entry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entry);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("A write's access-log entry is appended inside the write's transaction.");
        // Under the lock the head must be read with a fresh snapshot; a repeatable-read transaction would see the head
        // as it was when the transaction began and fork the chain.
        if (transaction.IsolationLevel is not (IsolationLevel.ReadCommitted or IsolationLevel.Unspecified))
        {
            throw new InvalidOperationException("The access log is appended only in a read-committed transaction.");
        }

        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The write's transaction has already ended.");
        entry = AccessLogColumns.Clamp(entry);
        byte[] previous;
        var ids = new List<long>(1);
        await using (var head = new NpgsqlBatch(connection, transaction))
        {
            // The head through the primary key whatever the statistics say (see AccessLogWriter.Open); LOCAL ends
            // with this transaction, and only the log's statements and the commit follow it.
            head.BatchCommands.Add(new NpgsqlBatchCommand(NoSeqScanSql));
            foreach (var command in AccessLogStatements.Head(1))
            {
                head.BatchCommands.Add(command);
            }

            await using var reader = await head.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            previous = await reader.ReadAsync(cancellationToken) ? (byte[])reader.GetValue(0) : AccessLogChain.Genesis;
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var chained = AccessLogStatements.Chain([entry], previous, ids);
        await using (var insert = new NpgsqlBatch(connection, transaction) { BatchCommands = { AccessLogStatements.Insert(chained) } })
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return chained[0];
    }
}
