using System.Diagnostics;
using System.Globalization;

namespace WoningPas.Cli.Seeding;

/// <summary>Rows written so far, by every table writer at once.</summary>
internal sealed class RowCounter
{
    private long _rows;

    public long Rows => Interlocked.Read(ref _rows);

    public void Add() => Interlocked.Increment(ref _rows);
}

/// <summary>A one-line progress display, redrawn twice a second, on the error stream so that output stays clean.</summary>
internal sealed class ProgressReporter : IDisposable
{
    private readonly TextWriter _output;
    private readonly RowCounter _counter;
    private readonly Stopwatch _stopwatch;
    private readonly Timer _timer;
    private string _phase = "copying";

    public ProgressReporter(TextWriter output, RowCounter counter, Stopwatch stopwatch)
    {
        _output = output;
        _counter = counter;
        _stopwatch = stopwatch;
        _timer = new Timer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Ends the current phase's line, so that each phase's end time stays on screen.</summary>
    public void Phase(string phase)
    {
        Draw();
        lock (_output)
        {
            _output.WriteLine();
            _phase = phase;
        }

        Draw();
    }

    public void Dispose()
    {
        _timer.Dispose();
        Draw();
        _output.WriteLine();
    }

    private void Draw()
    {
        var seconds = _stopwatch.Elapsed.TotalSeconds;
        var rows = _counter.Rows;
        lock (_output)
        {
            _output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r  {_phase,-36} {rows,12:N0} rows  {seconds,7:F1} s  {(seconds > 0 ? rows / seconds : 0),10:N0} rows/s"));
        }
    }
}
