using System.Text;
using static WoningPas.Api.Tests.Documents.PdfCorpus.PdfFilters;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>
/// PDFs with nothing active that must be accepted: the files under clean/ (made by make-clean.sh with LibreOffice,
/// Ghostscript, groff, ReportLab, cairo, librsvg, img2pdf, Pillow and qpdf) and ones built here that use the same
/// filters, object streams and lenient syntax as the hostile corpus, or look like an active name without being one.
/// </summary>
internal static class CleanPdfs
{
    private const string Page = "BT /F1 12 Tf 20 100 Td (Factuur dakisolatie) Tj ET";

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Documents", "PdfCorpus", "clean");

    private static readonly Lazy<Dictionary<string, Func<byte[]>>> Everything = new(Load);

    /// <summary>Every clean PDF by name: the produced files first, then the built ones.</summary>
    public static IReadOnlyDictionary<string, Func<byte[]>> All => Everything.Value;

    private static Dictionary<string, Func<byte[]>> Load()
    {
        var all = new Dictionary<string, Func<byte[]>>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.pdf").Order(StringComparer.Ordinal))
        {
            all[Path.GetFileNameWithoutExtension(path)] = () => File.ReadAllBytes(path);
        }

        foreach (var (name, build) in Built)
        {
            all["built-" + name] = build;
        }

        return all;
    }

    private static PdfBuilder WithContent(string filterEntries, byte[] content) => new PdfBuilder()
        .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>")
        .Stream(4, filterEntries, content);

    private static readonly Dictionary<string, Func<byte[]>> Built = new(StringComparer.Ordinal)
    {
        ["flate-page"] = () => WithContent("/Filter /FlateDecode", Flate(Page)).Build(),
        ["ascii85-flate-page"] = () => WithContent("/Filter [/ASCII85Decode /FlateDecode]", Ascii85(Flate(Page))).Build(),
        ["lzw-page"] = () => WithContent("/Filter /LZWDecode", Lzw(Encoding.Latin1.GetBytes(Page))).Build(),
        ["runlength-page"] = () => WithContent("/Filter /RunLengthDecode", RunLength(Encoding.Latin1.GetBytes(Page))).Build(),
        ["png-predictor-object-stream"] = () => PdfBuilder.Minimal("/PageMode /UseOutlines /Outlines 4 0 R")
            .Compressed(4, "<< /Type /Outlines /Count 0 >>")
            .ObjectStreamEncoding("/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>", data => FlatePng(data, 7))
            .Build(),
        ["goto-open-action-and-uri-link"] = () => new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>")
            .Object(4, "<< /Type /Annot /Subtype /Link /Rect [0 0 200 20] /A << /S /URI /URI (https://www.vlaanderen.be) >> >>")
            .Build(),
        ["names-that-only-start-like-refused-ones"] = () => PdfBuilder.Minimal("/OpenAction << /S /GoTo /D [3 0 R /Fit] >> /JSON /AAB /XFAX /Launcher 1").Build(),
        ["refused-names-as-text-in-strings"] = () =>
            WithContent("/Filter /FlateDecode", Flate("BT /F1 12 Tf 20 100 Td (Zie /JS /JavaScript /Launch /AA) Tj ET"))
                .Build("/Info << /Title (Over /JavaScript en /XFA) /Subject <2F4A53> >>"),
        ["image-whose-samples-look-like-names"] = () =>
        {
            var samples = new byte[4096];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (byte)((i * 167) + 13);
            }

            "/JS "u8.CopyTo(samples.AsSpan(100));
            "/AA\n"u8.CopyTo(samples.AsSpan(2000));
            return PdfBuilder.Minimal()
                .Stream(4, "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", Flate(samples))
                .Build();
        },
        ["incremental-update-adding-info"] = () => PdfBuilder.Update(PdfBuilder.Minimal().Build(), 5,
            (4, "<< /Title (Factuur) /Producer (WoningPas tests) >>")),
        ["stream-keyword-with-cr-and-space"] = () => new PdfBuilder { StreamKeywordEnd = " \r\n" }
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>")
            .Stream(4, "/Filter /FlateDecode", Flate(Page)).Build(),
    };
}
