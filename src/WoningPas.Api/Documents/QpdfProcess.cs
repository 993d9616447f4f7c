using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WoningPas.Api.Documents;

/// <summary>
/// One qpdf run that writes the document as JSON to its standard output, under the kernel's limits for address space
/// and CPU time (util-linux <c>prlimit</c>, so the limits apply to qpdf alone and not to the Api).
/// </summary>
internal sealed class QpdfProcess : IDisposable
{
    private const int MaxErrorChars = 16 * 1024;

    private readonly Process _process;

    private QpdfProcess(Process process) => _process = process;

    public Stream Output => _process.StandardOutput.BaseStream;

    public int ExitCode => _process.ExitCode;

    public static QpdfProcess Start(FileStream file, PdfInspectionLimits limits)
    {
        var start = new ProcessStartInfo("prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var cpuSeconds = (long)Math.Ceiling(limits.Time.TotalSeconds);
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--as={limits.MemoryBytes}"));
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--cpu={cpuSeconds}"));
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(limits.QpdfPath);
        start.ArgumentList.Add(InputPath(file));
        start.ArgumentList.Add("--json=2");
        // Only the objects: every one in the file, those inside object streams included.
        start.ArgumentList.Add("--json-key=qpdf");
        // Every stream decoded as a reader decodes it (all general-purpose filters and predictors); lossy image
        // filters (DCT, JPX, JBIG2, CCITT) are left encoded: their samples are pixels, not PDF syntax.
        start.ArgumentList.Add("--json-stream-data=inline");
        start.ArgumentList.Add("--decode-level=generalized");
        start.ArgumentList.Add("-");
        var process = Process.Start(start) ?? throw new InvalidOperationException("qpdf did not start.");
        process.StandardInput.Close();
        return new QpdfProcess(process);
    }

    /// <summary>
    /// The open spool itself through /proc, so qpdf reads the very inode that was scanned and will be stored, whatever
    /// happens to the name; the name where there is no /proc.
    /// </summary>
    private static string InputPath(FileStream file)
    {
        var viaProc = string.Create(CultureInfo.InvariantCulture,
            $"/proc/{Environment.ProcessId}/fd/{file.SafeFileHandle.DangerousGetHandle()}");
        return OperatingSystem.IsLinux() && File.Exists(viaProc) ? viaProc : file.Name;
    }

    /// <summary>Standard error, drained as it comes so that qpdf never blocks on it; the first 16 k characters kept.</summary>
    public async Task<string> ReadErrorsAsync()
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                if (kept.Length < MaxErrorChars)
                {
                    kept.Append(buffer, 0, Math.Min(read, MaxErrorChars - kept.Length));
                }
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or IOException)
        {
            // qpdf was stopped early (a refused name, the budget): its remaining messages are of no use.
        }

        return kept.ToString();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
