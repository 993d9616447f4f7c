using System.Diagnostics.Metrics;

namespace WoningPas.Api.Monitoring;

/// <summary>
/// The access log's instruments (meter <c>WoningPas.Api.AccessLog</c>): how long a batch takes to chain and commit,
/// how many entries it carried, and how many entries failed — every failed entry is a read that was refused.
/// </summary>
public sealed class AccessLogMetrics
{
    public const string MeterName = "WoningPas.Api.AccessLog";

    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _failures;

    public AccessLogMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        // The factory owns the meter and disposes it with the container.
#pragma warning disable CA2000
        var meter = meters.Create(MeterName);
#pragma warning restore CA2000
        _writeDuration = meter.CreateHistogram<double>("woningpas.access_log.write.duration", "s",
            "Time to chain and commit one batch of access-log entries (group commit).");
        _batchSize = meter.CreateHistogram<int>("woningpas.access_log.batch.size", "{entry}",
            "Entries committed together in one batch.");
        _failures = meter.CreateCounter<long>("woningpas.access_log.write.failures", "{entry}",
            "Entries that could not be written; their reads were refused.");
    }

    public void Written(TimeSpan elapsed, int entries)
    {
        _writeDuration.Record(elapsed.TotalSeconds);
        _batchSize.Record(entries);
    }

    public void Failed(int entries) => _failures.Add(entries);
}
