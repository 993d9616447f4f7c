using System.IO.Compression;
using System.Text;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>
/// Encoders for the standard PDF filters, so that a test can hide a dictionary behind any filter chain a reader
/// decodes. Each returns the encoded bytes; the caller names the filter (and its parameters) in the stream dictionary.
/// </summary>
internal static class PdfFilters
{
    public static byte[] Flate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    public static byte[] Flate(string text) => Flate(Encoding.Latin1.GetBytes(text));

    /// <summary>PNG "Up" prediction on rows of <paramref name="columns"/> bytes (DecodeParms /Predictor 12), then Flate.</summary>
    public static byte[] FlatePng(byte[] data, int columns)
    {
        var rows = Pad(data, columns);
        using var predicted = new MemoryStream();
        var previous = new byte[columns];
        for (var offset = 0; offset < rows.Length; offset += columns)
        {
            predicted.WriteByte(2);
            for (var i = 0; i < columns; i++)
            {
                predicted.WriteByte((byte)(rows[offset + i] - previous[i]));
            }

            Array.Copy(rows, offset, previous, 0, columns);
        }

        return Flate(predicted.ToArray());
    }

    /// <summary>TIFF predictor 2, one 8-bit colour per sample, rows of <paramref name="columns"/> (DecodeParms /Predictor 2), then Flate.</summary>
    public static byte[] FlateTiff(byte[] data, int columns)
    {
        var rows = Pad(data, columns);
        var predicted = new byte[rows.Length];
        for (var offset = 0; offset < rows.Length; offset += columns)
        {
            for (var i = 0; i < columns; i++)
            {
                predicted[offset + i] = (byte)(rows[offset + i] - (i == 0 ? 0 : rows[offset + i - 1]));
            }
        }

        return Flate(predicted);
    }

    public static byte[] AsciiHex(byte[] data) => Encoding.ASCII.GetBytes(Convert.ToHexString(data) + ">");

    public static byte[] Ascii85(byte[] data)
    {
        var text = new StringBuilder();
        Span<char> group = stackalloc char[5];
        for (var offset = 0; offset < data.Length; offset += 4)
        {
            var count = Math.Min(4, data.Length - offset);
            uint value = 0;
            for (var i = 0; i < 4; i++)
            {
                value = (value << 8) | (i < count ? data[offset + i] : 0u);
            }

            if (value == 0 && count == 4)
            {
                text.Append('z');
                continue;
            }

            for (var i = 4; i >= 0; i--)
            {
                group[i] = (char)('!' + (value % 85));
                value /= 85;
            }

            text.Append(group[..(count + 1)]);
        }

        return Encoding.ASCII.GetBytes(text.Append("~>").ToString());
    }

    /// <summary>Literal runs of up to 128 bytes, then the end-of-data byte 128.</summary>
    public static byte[] RunLength(byte[] data)
    {
        using var encoded = new MemoryStream();
        for (var offset = 0; offset < data.Length; offset += 128)
        {
            var count = Math.Min(128, data.Length - offset);
            encoded.WriteByte((byte)(count - 1));
            encoded.Write(data, offset, count);
        }

        encoded.WriteByte(128);
        return encoded.ToArray();
    }

    /// <summary>
    /// LZW as PDF decodes it (9-bit codes first, EarlyChange 1). Every byte is sent as its own literal code and the table
    /// is cleared every 200 codes, so the code width never grows: a valid stream a reader decodes like any other.
    /// </summary>
    public static byte[] Lzw(byte[] data)
    {
        const int Clear = 256;
        const int EndOfData = 257;
        var bits = new BitWriter();
        bits.Write(Clear, 9);
        for (var i = 0; i < data.Length; i++)
        {
            if (i > 0 && i % 200 == 0)
            {
                bits.Write(Clear, 9);
            }

            bits.Write(data[i], 9);
        }

        bits.Write(EndOfData, 9);
        return bits.ToArray();
    }

    /// <summary>Pads with spaces, which PDF syntax ignores, to whole rows for the predictors.</summary>
    private static byte[] Pad(byte[] data, int columns)
    {
        var padded = new byte[(data.Length + columns - 1) / columns * columns];
        Array.Fill(padded, (byte)' ');
        data.CopyTo(padded, 0);
        return padded;
    }

    private sealed class BitWriter
    {
        private readonly MemoryStream _bytes = new();
        private int _buffer;
        private int _count;

        public void Write(int code, int width)
        {
            for (var bit = width - 1; bit >= 0; bit--)
            {
                _buffer = (_buffer << 1) | ((code >> bit) & 1);
                if (++_count == 8)
                {
                    _bytes.WriteByte((byte)_buffer);
                    _buffer = 0;
                    _count = 0;
                }
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0)
            {
                _bytes.WriteByte((byte)(_buffer << (8 - _count)));
                _count = 0;
            }

            return _bytes.ToArray();
        }
    }
}
