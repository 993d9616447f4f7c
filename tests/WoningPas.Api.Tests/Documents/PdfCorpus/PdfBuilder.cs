using System.Globalization;
using System.Text;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>
/// A small PDF writer for the corpus: objects written as given, correct cross-reference offsets (a table, or a
/// cross-reference stream when objects live in an object stream), object streams behind any filter chain, the
/// whitespace after the <c>stream</c> keyword chosen per test, and incremental updates appended to a finished file.
/// </summary>
internal sealed class PdfBuilder
{
    private readonly SortedDictionary<int, byte[]> _objects = [];
    private readonly SortedDictionary<int, string> _compressed = [];
    private string _objectStreamFilter = "/Filter /FlateDecode";
    private Func<byte[], byte[]> _objectStreamEncode = PdfFilters.Flate;

    /// <summary>What follows the <c>stream</c> keyword; the specification says CRLF or LF, readers accept more.</summary>
    public string StreamKeywordEnd { get; init; } = "\n";

    public string Header { get; init; } = "%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n";

    public PdfBuilder Object(int number, string body)
    {
        _objects[number] = Encoding.Latin1.GetBytes(body);
        return this;
    }

    /// <summary>A stream object; <paramref name="dictionary"/> without /Length, which is added.</summary>
    public PdfBuilder Stream(int number, string dictionary, byte[] data)
    {
        _objects[number] = StreamBody(dictionary, data);
        return this;
    }

    /// <summary>An object that lives inside the object stream (written by <see cref="Build"/>), not in the file itself.</summary>
    public PdfBuilder Compressed(int number, string body)
    {
        _compressed[number] = body;
        return this;
    }

    /// <summary>How the object stream is encoded: the /Filter (and /DecodeParms) entries and the matching encoder.</summary>
    public PdfBuilder ObjectStreamEncoding(string filterEntries, Func<byte[], byte[]> encode)
    {
        _objectStreamFilter = filterEntries;
        _objectStreamEncode = encode;
        return this;
    }

    /// <summary>The classic one-catalog, no-page skeleton every case starts from.</summary>
    public static PdfBuilder Minimal(string catalogExtra = "", string? streamKeywordEnd = null) =>
        new PdfBuilder { StreamKeywordEnd = streamKeywordEnd ?? "\n" }
            .Object(1, $"<< /Type /Catalog /Pages 2 0 R {catalogExtra} >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>");

    public byte[] Build(string trailerExtra = "")
    {
        using var pdf = new MemoryStream();
        pdf.Write(Encoding.Latin1.GetBytes(Header));
        var offsets = new SortedDictionary<int, long>();
        var objects = new SortedDictionary<int, byte[]>(_objects);
        var size = Math.Max(objects.Keys.DefaultIfEmpty(0).Max(), _compressed.Keys.DefaultIfEmpty(0).Max()) + 1;
        var objectStream = size;
        if (_compressed.Count > 0)
        {
            objects[objectStream] = ObjectStreamBody();
            size++;
        }

        foreach (var (number, body) in objects)
        {
            offsets[number] = pdf.Position;
            pdf.Write(Encoding.ASCII.GetBytes($"{number} 0 obj\n"));
            pdf.Write(body);
            pdf.Write("\nendobj\n"u8);
        }

        if (_compressed.Count == 0)
        {
            WriteTable(pdf, offsets, $"/Size {size} /Root 1 0 R {trailerExtra}", whole: true);
            return pdf.ToArray();
        }

        // Objects inside an object stream can only be found through a cross-reference stream (type 2 entries).
        var xref = size;
        offsets[xref] = pdf.Position;
        var entries = new MemoryStream();
        for (var number = 0; number <= xref; number++)
        {
            var index = _compressed.Keys.ToList().IndexOf(number);
            var (type, field2, field3) = offsets.TryGetValue(number, out var offset) ? (1, offset, 0)
                : index >= 0 ? (2, objectStream, index) : (0, 0L, 0);
            entries.WriteByte((byte)type);
            entries.Write([(byte)(field2 >> 24), (byte)(field2 >> 16), (byte)(field2 >> 8), (byte)field2]);
            entries.Write([(byte)(field3 >> 8), (byte)field3]);
        }

        pdf.Write(Encoding.ASCII.GetBytes($"{xref} 0 obj\n"));
        pdf.Write(StreamBody($"/Type /XRef /Size {xref + 1} /W [1 4 2] /Root 1 0 R {trailerExtra}", entries.ToArray()));
        pdf.Write(Encoding.ASCII.GetBytes($"\nendobj\nstartxref\n{offsets[xref]}\n%%EOF\n"));
        return pdf.ToArray();
    }

    /// <summary>
    /// An incremental update: <paramref name="original"/> unchanged, then the given objects (a new catalog, say) with a
    /// cross-reference section pointing back at the original's. A reader uses the newest version of each object.
    /// </summary>
    public static byte[] Update(byte[] original, int size, params (int Number, string Body)[] objects)
    {
        using var pdf = new MemoryStream();
        pdf.Write(original);
        var previous = PreviousStartXref(original);
        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = pdf.Position;
            pdf.Write(Encoding.Latin1.GetBytes($"{number} 0 obj\n{body}\nendobj\n"));
        }

        WriteTable(pdf, offsets, $"/Size {size} /Root 1 0 R /Prev {previous}", whole: false);
        return pdf.ToArray();
    }

    private byte[] ObjectStreamBody()
    {
        var header = new StringBuilder();
        var bodies = new StringBuilder();
        foreach (var (number, body) in _compressed)
        {
            header.Append(CultureInfo.InvariantCulture, $"{number} {bodies.Length} ");
            bodies.Append(body).Append('\n');
        }

        var first = header.Length + 1;
        var data = Encoding.Latin1.GetBytes(header.Append('\n').Append(bodies).ToString());
        return StreamBody($"/Type /ObjStm /N {_compressed.Count} /First {first} {_objectStreamFilter}", _objectStreamEncode(data));
    }

    private byte[] StreamBody(string dictionary, byte[] data)
    {
        using var body = new MemoryStream();
        body.Write(Encoding.Latin1.GetBytes($"<< {dictionary} /Length {data.Length} >>\nstream{StreamKeywordEnd}"));
        body.Write(data);
        body.Write("\nendstream"u8);
        return body.ToArray();
    }

    private static void WriteTable(MemoryStream pdf, SortedDictionary<int, long> offsets, string trailer, bool whole)
    {
        var start = pdf.Position;
        var table = new StringBuilder("xref\n");
        if (whole)
        {
            table.Append(CultureInfo.InvariantCulture, $"0 {offsets.Keys.Max() + 1}\n0000000000 65535 f \n");
            for (var number = 1; number <= offsets.Keys.Max(); number++)
            {
                table.Append(offsets.TryGetValue(number, out var offset)
                    ? string.Create(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n")
                    : "0000000000 65535 f \n");
            }
        }
        else
        {
            foreach (var (number, offset) in offsets)
            {
                table.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
            }
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< {trailer} >>\nstartxref\n{start}\n%%EOF\n");
        pdf.Write(Encoding.ASCII.GetBytes(table.ToString()));
    }

    private static long PreviousStartXref(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("startxref", StringComparison.Ordinal) + "startxref".Length;
        return long.Parse(text[at..].Trim().Split('\n')[0], CultureInfo.InvariantCulture);
    }
}
