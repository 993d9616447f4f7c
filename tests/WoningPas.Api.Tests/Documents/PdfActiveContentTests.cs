using System.Diagnostics;
using System.IO.Compression;
using WoningPas.Api.Documents;
using WoningPas.Api.Tests.Documents.PdfCorpus;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// The inspection's budget and the PDFs it cannot read: each is refused with its reason, never accepted half inspected.
/// The corpus of hostile and clean PDFs is in PdfCorpus/PdfCorpusTests.
/// </summary>
public sealed class PdfActiveContentTests
{
    private static readonly PdfInspectionLimits Defaults = PdfInspector.Defaults;

    /// <summary>A page whose content stream inflates to <paramref name="bytes"/> zeros (a small decompression bomb).</summary>
    private static byte[] Bomb(long bytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < bytes; written += zeros.Length)
            {
                zlib.Write(zeros);
            }
        }

        return PdfBuilder.Minimal().Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>")
            .Stream(4, "/Filter /FlateDecode", compressed.ToArray()).Build();
    }

    [Fact]
    public async Task A_javascript_action_behind_a_fake_image_stream_is_still_found()
    {
        // The comment made the old scanner see a stream that a reader does not; a parser sees the action.
        var pdf = TestDocuments.PdfWithOpenAction("/Subtype /Image >> % stream\n<< /S /JavaScript /JS (x) >> endstream <<");

        Assert.Equal("JavaScript", (await PdfInspector.InspectAsync(pdf)).ActiveFeature);
    }

    [Fact]
    public async Task A_pdf_that_decodes_past_the_budget_is_refused_as_too_large()
    {
        var inspection = await PdfInspector.InspectAsync(Bomb(8 * 1024 * 1024), Defaults with { MaxDecodedBytes = 1024 * 1024 });

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.TooLarge), inspection);
    }

    [Fact]
    public async Task A_pdf_that_takes_longer_than_the_budget_is_refused_as_too_slow_and_the_parser_is_stopped()
    {
        var pdf = Bomb(1024L * 1024 * 1024);
        var clock = Stopwatch.StartNew();

        var inspection = await PdfInspector.InspectAsync(pdf, Defaults with
        {
            Time = TimeSpan.FromSeconds(1), MaxDecodedBytes = 1024L * 1024 * 1024 * 4,
        });

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.TooSlow), inspection);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_pdf_that_needs_more_memory_than_the_budget_is_refused()
    {
        // One array of a million numbers: about 400 MB in the parser's object model, from a 2 MB file.
        var pdf = PdfBuilder.Minimal("/Filler [" + string.Concat(Enumerable.Repeat("0 ", 1_000_000)) + "]").Build();

        var inspection = await PdfInspector.InspectAsync(pdf, Defaults with { MemoryBytes = 64L * 1024 * 1024 });

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.TooMuchMemory), inspection);
    }

    [Fact]
    public async Task A_password_protected_pdf_is_refused_as_such()
    {
        var plain = Path.GetTempFileName();
        var locked = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(plain, PdfBuilder.Minimal().Build(), TestContext.Current.CancellationToken);
            using (var qpdf = Process.Start("qpdf", ["--encrypt", "geheim", "eigenaar", "256", "--", plain, locked]))
            {
                await qpdf.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, qpdf.ExitCode);
            }

            var inspection = await PdfInspector.InspectAsync(await File.ReadAllBytesAsync(locked, TestContext.Current.CancellationToken));

            Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.PasswordProtected), inspection);
        }
        finally
        {
            File.Delete(plain);
            File.Delete(locked);
        }
    }

    [Fact]
    public async Task A_pdf_encrypted_without_a_user_password_is_refused_for_its_encryption()
    {
        // qpdf opens it (and would inspect it) without a password, but a stored encrypted file is one the virus
        // scanner cannot look into, so it stays refused as before.
        var plain = Path.GetTempFileName();
        var locked = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(plain, PdfBuilder.Minimal().Build(), TestContext.Current.CancellationToken);
            using (var qpdf = Process.Start("qpdf", ["--encrypt", "", "eigenaar", "256", "--", plain, locked]))
            {
                await qpdf.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, qpdf.ExitCode);
            }

            var inspection = await PdfInspector.InspectAsync(await File.ReadAllBytesAsync(locked, TestContext.Current.CancellationToken));

            Assert.Equal("encryption, which hides its content from inspection", inspection.ActiveFeature);
        }
        finally
        {
            File.Delete(plain);
            File.Delete(locked);
        }
    }

    [Fact]
    public async Task A_stream_that_does_not_decode_is_refused_rather_than_skipped()
    {
        var pdf = PdfBuilder.Minimal("/Extra 4 0 R").Stream(4, "/Filter /FlateDecode", "not flate at all"u8.ToArray()).Build();

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.UndecodableStream), await PdfInspector.InspectAsync(pdf));
    }

    [Fact]
    public async Task An_object_stream_behind_a_broken_cross_reference_is_refused_not_reconstructed_without_it()
    {
        // qpdf's reconstruction finds no objects inside object streams; a reader's may, and would run the script.
        var pdf = HostilePdfs.All["javascript-in-object-stream-flate"]();
        var startxref = pdf.AsSpan().LastIndexOf("startxref"u8);
        var broken = pdf[..startxref].Concat("startxref\n999999\n%%EOF\n"u8.ToArray()).ToArray();

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.Unreadable), await PdfInspector.InspectAsync(broken));
    }

    [Fact]
    public async Task A_clean_pdf_with_a_broken_cross_reference_table_is_repaired_and_accepted()
    {
        var pdf = CleanPdfs.All["built-flate-page"]();
        var startxref = pdf.AsSpan().LastIndexOf("startxref"u8);
        var broken = pdf[..startxref].Concat("startxref\n999999\n%%EOF\n"u8.ToArray()).ToArray();

        Assert.Equal(PdfInspection.Clean, await PdfInspector.InspectAsync(broken));
    }

    [Fact]
    public async Task A_file_that_only_starts_like_a_pdf_is_refused_as_unreadable()
    {
        var inspection = await PdfInspector.InspectAsync("%PDF-1.7\nthis is no PDF at all\n"u8.ToArray());

        Assert.Equal(PdfInspection.NotInspectable(PdfUninspectable.Unreadable), inspection);
    }
}
