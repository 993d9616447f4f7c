using System.Text;

namespace WoningPas.EndToEnd.Tests;

/// <summary>The files the browser tests upload.</summary>
internal static class TestPdf
{
    /// <summary>A one-page PDF with plain text content and nothing active.</summary>
    public static byte[] Clean()
    {
        const string content = "BT /F1 12 Tf 20 100 Td (Factuur dakisolatie) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
        };
        var pdf = new StringBuilder("%PDF-1.7\n");
        for (var i = 0; i < objects.Length; i++)
        {
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        pdf.Append("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
