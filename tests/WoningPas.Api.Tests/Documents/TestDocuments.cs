using System.IO.Compression;
using System.Text;

namespace WoningPas.Api.Tests.Documents;

/// <summary>Small documents built byte by byte, so that each test shows exactly what it sends.</summary>
internal static class TestDocuments
{
    /// <summary>A one-page PDF whose page content is a FlateDecode stream.</summary>
    public static byte[] CleanPdf() => Pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        Stream("/Filter /FlateDecode", Deflate("BT /F1 12 Tf 20 100 Td (Factuur dakisolatie) Tj ET")));

    /// <summary>
    /// A clean PDF of exactly <paramref name="length"/> bytes: the page of <see cref="CleanPdf"/> and an unfiltered
    /// stream of text lines that makes up the rest (many chunks for clamd, many buffers for the spool and the database
    /// stream), with a correct cross-reference table, so the inspection reads it as a reader would and does not have to
    /// rebuild it from a megabyte of comments.
    /// </summary>
    public static byte[] CleanPdfOfLength(long length)
    {
        long filler = 0;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var pdf = PdfCorpus.PdfBuilder.Minimal("/PieceInfo 5 0 R")
                .Object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>")
                .Stream(4, "/Filter /FlateDecode", Deflate("BT /F1 12 Tf 20 100 Td (Factuur dakisolatie) Tj ET"))
                .Stream(5, string.Empty, Lines(filler))
                .Build();
            if (pdf.Length == length)
            {
                return pdf;
            }

            // The stream's /Length and the offsets grow by a digit now and then: a few rounds settle it.
            filler += length - pdf.Length;
        }

        throw new InvalidOperationException($"No clean PDF of exactly {length} bytes.");
    }

    private static byte[] Lines(long length)
    {
        var lines = new byte[Math.Max(0, length)];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + (i % 26));
        }

        return lines;
    }

    /// <summary>A PDF that runs JavaScript when opened, with the action's names spelled as given.</summary>
    public static byte[] PdfWithOpenAction(string actionNames) => Pdf(
        $"<< /Type /Catalog /Pages 2 0 R /OpenAction << {actionNames} >> >>",
        "<< /Type /Pages /Kids [] /Count 0 >>");

    public static byte[] ElfExecutable()
    {
        var elf = new byte[512];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }.CopyTo(elf, 0);
        return elf;
    }

    public static byte[] WindowsExecutable()
    {
        var pe = new byte[512];
        "MZ"u8.CopyTo(pe);
        "This program cannot be run in DOS mode."u8.CopyTo(pe.AsSpan(78));
        return pe;
    }

    public static byte[] Png() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R',
        0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3A, 0x7E, 0x9B, 0x55,
    ];

    private static byte[] Stream(string dictionary, byte[] data)
    {
        using var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"<< {dictionary} /Length {data.Length} >>\nstream\n"));
        body.Write(data);
        body.Write("\nendstream"u8);
        return body.ToArray();
    }

    private static byte[] Pdf(params object[] objects)
    {
        using var pdf = new MemoryStream();
        pdf.Write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"u8);
        for (var i = 0; i < objects.Length; i++)
        {
            pdf.Write(Encoding.ASCII.GetBytes($"{i + 1} 0 obj\n"));
            pdf.Write(objects[i] is byte[] bytes ? bytes : Encoding.ASCII.GetBytes((string)objects[i]));
            pdf.Write("\nendobj\n"u8);
        }

        pdf.Write("trailer\n<< /Root 1 0 R >>\n%%EOF\n"u8);
        return pdf.ToArray();
    }

    private static byte[] Deflate(string text) => Deflate(Encoding.ASCII.GetBytes(text));

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }
}
