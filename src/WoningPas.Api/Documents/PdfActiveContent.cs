using System.Buffers;

namespace WoningPas.Api.Documents;

/// <summary>The budget of one PDF inspection: wall-clock time, the parser's memory, and the decoded size.</summary>
public sealed record PdfInspectionLimits(TimeSpan Time, long MemoryBytes, long MaxDecodedBytes, string QpdfPath = "qpdf")
{
    public static PdfInspectionLimits From(DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(TimeSpan.FromSeconds(options.PdfInspectionSeconds), options.PdfInspectionMemoryBytes,
            options.MaxInflatedBytes, options.QpdfPath);
    }
}

/// <summary>
/// Finds the PDF features that run or carry something on opening (JavaScript, launch and submit actions, embedded files,
/// automatic actions, rich media, XFA forms) in the document as a reader sees it. qpdf, a maintained PDF parser, reads
/// the file (cross-reference streams, object streams, incremental updates, lenient syntax such as <c>stream\r</c>) and
/// writes every object as JSON with every stream decoded through its whole filter chain (Flate with PNG or TIFF
/// predictors, LZW, ASCII85, ASCIIHex, RunLength); <see cref="QpdfJsonNames"/> looks for the refused names in that.
/// qpdf runs as a child process under <c>prlimit</c>: its address space and CPU time are capped by the kernel, its
/// output by <see cref="PdfInspectionLimits.MaxDecodedBytes"/> and the whole run by a wall-clock limit, so a hostile
/// file costs the Api a bounded amount and cannot crash it. docs/decisions/0015-pdf-inspection-with-qpdf.md says why.
/// </summary>
public static class PdfActiveContent
{
    /// <summary>Inspects <paramref name="file"/>, the spool itself: qpdf opens the same open file, not a copy.</summary>
    public static async Task<PdfInspection> InspectAsync(FileStream file, PdfInspectionLimits limits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(limits);
        using var qpdf = QpdfProcess.Start(file, limits);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Time);
        var names = new QpdfJsonNames();
        var stderr = qpdf.ReadErrorsAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long written = 0;
        try
        {
            int read;
            while ((read = await qpdf.Output.ReadAsync(buffer, timeout.Token)) > 0)
            {
                written += read;
                if (written > limits.MaxDecodedBytes)
                {
                    return PdfInspection.NotInspectable(PdfUninspectable.TooLarge);
                }

                names.Feed(buffer.AsSpan(0, read));
                if (names.Found is not null)
                {
                    return PdfInspection.Active(names.Found);
                }
            }

            await qpdf.WaitForExitAsync(timeout.Token);
            var errors = await stderr;
            // qpdf rebuilds a broken cross-reference table by scanning for "n 0 obj", which does not find the objects
            // inside object streams; a reader that also parses those (pdf.js does) would see objects qpdf did not.
            if (names.SawObjectStream && errors.Contains("reconstruct", StringComparison.OrdinalIgnoreCase))
            {
                return PdfInspection.NotInspectable(PdfUninspectable.Unreadable);
            }

            return Verdict(qpdf.ExitCode, errors);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PdfInspection.NotInspectable(PdfUninspectable.TooSlow);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            // Whatever stopped the reading (a refused name, the budget, the time), qpdf stops with it.
            qpdf.Stop();
        }
    }

    /// <summary>
    /// qpdf read the whole file and no refused name was in it. Exit code 0 is clean; 3 means it repaired something (a
    /// damaged cross-reference table, a stream keyword followed by a lone CR) as readers do, which is still clean
    /// unless a stream could not be decoded; anything else means qpdf could not read it, and neither may a reader.
    /// </summary>
    private static PdfInspection Verdict(int exitCode, string errors)
    {
        if (exitCode is 0 or 3 && !errors.Contains("error decoding stream data", StringComparison.Ordinal))
        {
            return PdfInspection.Clean;
        }

        if (exitCode == 3)
        {
            return PdfInspection.NotInspectable(PdfUninspectable.UndecodableStream);
        }

        if (errors.Contains("invalid password", StringComparison.Ordinal))
        {
            return PdfInspection.NotInspectable(PdfUninspectable.PasswordProtected);
        }

        // Under RLIMIT_AS an allocation fails: qpdf reports std::bad_alloc, or the C++ runtime aborts (SIGABRT, 134).
        // A process killed for CPU time (SIGXCPU/SIGKILL) has also run out of budget, of time.
        return errors.Contains("bad_alloc", StringComparison.Ordinal) || errors.Contains("memory", StringComparison.OrdinalIgnoreCase)
                || exitCode == 134
            ? PdfInspection.NotInspectable(PdfUninspectable.TooMuchMemory)
            : exitCode is 137 or 152
                ? PdfInspection.NotInspectable(PdfUninspectable.TooSlow)
                : PdfInspection.NotInspectable(PdfUninspectable.Unreadable);
    }
}
