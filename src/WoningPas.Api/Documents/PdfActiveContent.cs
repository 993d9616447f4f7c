using System.Buffers;
using System.Collections.Frozen;
using System.IO.Compression;
using System.Text;

namespace WoningPas.Api.Documents;

/// <summary>What the PDF inspection found: nothing active, an active feature (by its reason), or too much to inspect.</summary>
public sealed record PdfInspection(bool IsClean, string? ActiveFeature, string? TooComplexReason)
{
    public static PdfInspection Clean { get; } = new(true, null, null);
}

/// <summary>
/// Finds the PDF features that run or carry something on opening: JavaScript, launch actions, embedded files,
/// automatic actions, rich media, XFA forms. A reader finds them by name, so this looks for the names, the way a
/// reader's tokenizer sees them: <c>#xx</c> escapes decoded, exact match. Names are looked for in the file as it is and
/// inside every zlib (FlateDecode) stream, since object streams hide whole dictionaries in compressed form.
/// In image streams only names of three letters or more count: image samples are binary, and a two-letter name such
/// as <c>/JS</c> turns up in noise by chance. Filters other than FlateDecode (LZW, ASCII85 around Flate) are not
/// decoded; docs/uploads.md says what this leaves to the virus scanner.
/// </summary>
public static class PdfActiveContent
{
    /// <summary>More streams than this is not a plan or an invoice; it is refused rather than half inspected.</summary>
    private const int MaxStreams = 100_000;

    private static readonly FrozenDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["JavaScript"] = "JavaScript",
        ["JS"] = "JavaScript",
        ["Launch"] = "a launch action (starts a program)",
        ["EmbeddedFile"] = "an embedded file",
        ["EmbeddedFiles"] = "an embedded file",
        ["GoToE"] = "a link into an embedded file",
        ["AA"] = "automatic actions",
        ["RichMedia"] = "rich media (Flash or video)",
        ["XFA"] = "an XFA form",
        ["ImportData"] = "a data import action",
        // Encrypted streams cannot be inspected, so whatever they hold would pass unseen.
        ["Encrypt"] = "encryption, which hides its content from inspection",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static async Task<PdfInspection> InspectAsync(Stream file, long maxInflatedBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Position = 0;
        var outline = new OutlinePass();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                outline.Feed(buffer.AsSpan(0, read));
                if (outline.Found is not null)
                {
                    return new PdfInspection(false, outline.Found, null);
                }

                if (outline.Streams.Count > MaxStreams)
                {
                    return new PdfInspection(false, null, $"it has more than {MaxStreams} streams");
                }
            }

            outline.End(file.Length);
            if (outline.Found is not null)
            {
                return new PdfInspection(false, outline.Found, null);
            }

            var budget = maxInflatedBytes;
            foreach (var stream in outline.Streams)
            {
                var result = await InspectStreamAsync(file, stream, buffer, budget, cancellationToken);
                if (!result.Inspection.IsClean)
                {
                    return result.Inspection;
                }

                budget -= result.Inflated;
            }

            return PdfInspection.Clean;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(PdfInspection Inspection, long Inflated)> InspectStreamAsync(Stream file, StreamSpan stream,
        byte[] buffer, long budget, CancellationToken cancellationToken)
    {
        file.Position = stream.Start;
        var head = new byte[8];
        var headLength = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        // Lenient writers put a space or a stray line end between the keyword and the data; readers skip it.
        var skip = 0;
        while (skip < 2 && skip < headLength && head[skip] is (byte)' ' or (byte)'\r' or (byte)'\n')
        {
            skip++;
        }

        var image = stream.IsImage || (headLength - skip >= 3 && head[skip] == 0xFF && head[skip + 1] == 0xD8 && head[skip + 2] == 0xFF);
        var names = new NameScanner { MinLength = image ? 3 : 1 };
        if (headLength - skip >= 2 && IsZlibHeader(head[skip], head[skip + 1]))
        {
            var layers = await CountZlibLayersAsync(file, stream.Start + skip, cancellationToken);
            file.Position = stream.Start + skip;
            long inflated = 0;
            try
            {
                await using var zlib = Inflate(file, layers);
                int read;
                while ((read = await zlib.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    inflated += read;
                    if (inflated > budget)
                    {
                        return (new PdfInspection(false, null, "its compressed streams inflate to more than the inspection allows"), inflated);
                    }

                    names.Feed(buffer.AsSpan(0, read));
                    if (names.Found is not null)
                    {
                        return (new PdfInspection(false, names.Found, null), inflated);
                    }
                }
            }
            catch (InvalidDataException)
            {
                // Not Flate after all, or truncated: what did inflate has been searched; a reader gets no more out of it.
            }

            names.End();
            return (names.Found is null ? PdfInspection.Clean : new PdfInspection(false, names.Found, null), inflated);
        }

        file.Position = stream.Start;
        var remaining = stream.End - stream.Start;
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            remaining -= read;
            names.Feed(buffer.AsSpan(0, read));
        }

        names.End();
        return (names.Found is null ? PdfInspection.Clean : new PdfInspection(false, names.Found, null), 0);
    }

    /// <summary>
    /// A filter array may repeat FlateDecode; a reader inflates every layer, so the inspection does too, up to a few.
    /// </summary>
    private static async Task<int> CountZlibLayersAsync(Stream file, long start, CancellationToken cancellationToken)
    {
        const int MaxLayers = 4;
        var layers = 1;
        var head = new byte[2];
        while (layers < MaxLayers)
        {
            file.Position = start;
            await using var probe = Inflate(file, layers);
            try
            {
                if (await probe.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, cancellationToken) < 2
                    || !IsZlibHeader(head[0], head[1]))
                {
                    break;
                }
            }
            catch (InvalidDataException)
            {
                break;
            }

            layers++;
        }

        return layers;
    }

    private static Stream Inflate(Stream file, int layers)
    {
        Stream inflated = new ZLibStream(file, CompressionMode.Decompress, leaveOpen: true);
        for (var i = 1; i < layers; i++)
        {
            inflated = new ZLibStream(inflated, CompressionMode.Decompress, leaveOpen: false);
        }

        return inflated;
    }

    private static bool IsZlibHeader(byte cmf, byte flg) => (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;

    private static bool IsWhitespace(byte b) => b is 0x00 or 0x09 or 0x0A or 0x0C or 0x0D or 0x20;

    private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']'
        or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private readonly record struct StreamSpan(long Start, long End, bool IsImage);

    /// <summary>
    /// One pass over the file as stored: the names outside stream bodies, and where each stream body starts and ends
    /// together with whether its dictionary declares an image.
    /// </summary>
    private sealed class OutlinePass
    {
        private static readonly ulong Stream6 = Pack("stream"u8);
        private static readonly ulong Endobj6 = Pack("endobj"u8);
        private static readonly ulong Ndstream8 = Pack("ndstream"u8);

        private readonly NameScanner _names = new();
        private ulong _window;
        private long _position;
        private bool _inStream;
        private long _streamStart;
        private bool _awaitingLineFeed;
        private bool _dictionaryIsImage;
        private bool _dictionaryIsObjectStream;

        public OutlinePass() => _names.NameFinished = OnName;

        public List<StreamSpan> Streams { get; } = [];

        public string? Found => _names.Found;

        public void Feed(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                if (_inStream)
                {
                    InStream(b);
                }
                else
                {
                    Outside(b);
                }

                _window = (_window << 8) | b;
                _position++;
            }
        }

        public void End(long length)
        {
            if (_inStream)
            {
                // No endstream: a reader would still try to decode what follows, so it is inspected to the end.
                Streams.Add(new StreamSpan(_streamStart, length, false));
            }

            _names.End();
        }

        private void Outside(byte b)
        {
            _names.Feed(b);
            if ((b == (byte)'\n' || b == (byte)'\r' || b == (byte)' ') && (_window & 0xFFFF_FFFF_FFFF) == Stream6 && IsStreamKeywordStart())
            {
                _inStream = true;
                _streamStart = _position + 1;
                _awaitingLineFeed = b == (byte)'\r';
                _names.Reset();
            }
            else if (b == (byte)'j' && ((_window << 8 | b) & 0xFFFF_FFFF_FFFF) == Endobj6)
            {
                _dictionaryIsImage = false;
                _dictionaryIsObjectStream = false;
            }
        }

        private void InStream(byte b)
        {
            if (_awaitingLineFeed)
            {
                _awaitingLineFeed = false;
                if (b == (byte)'\n')
                {
                    _streamStart = _position + 1;
                }
            }

            // The window holds "endstrea": with this 'm' the keyword is complete and the body ended before it.
            if (b == (byte)'m' && ((_window << 8) | b) == Ndstream8 && (byte)(_window >> 56) == (byte)'e')
            {
                Streams.Add(new StreamSpan(_streamStart, _position - 8, _dictionaryIsImage && !_dictionaryIsObjectStream));
                _inStream = false;
                _dictionaryIsImage = false;
                _dictionaryIsObjectStream = false;
            }
        }

        /// <summary>"stream" is the keyword, not the tail of "endstream" or of a longer word.</summary>
        private bool IsStreamKeywordStart()
        {
            var before = (byte)(_window >> 48);
            return IsWhitespace(before) || before == (byte)'>';
        }

        private void OnName(string name)
        {
            if (name == "Image")
            {
                _dictionaryIsImage = true;
            }
            else if (name == "ObjStm")
            {
                _dictionaryIsObjectStream = true;
            }
        }

        private static ulong Pack(ReadOnlySpan<byte> text)
        {
            ulong value = 0;
            foreach (var b in text)
            {
                value = (value << 8) | b;
            }

            return value;
        }
    }

    /// <summary>
    /// The PDF name tokens in a byte stream, fed in any chunks: a name starts at '/', ends at whitespace or a
    /// delimiter, and its <c>#xx</c> escapes are decoded before it is compared, as a reader does.
    /// </summary>
    private sealed class NameScanner
    {
        // A PDF name is at most 127 bytes; escaped, three times that. Longer runs cannot be a refused name.
        private readonly byte[] _name = new byte[3 * 127];
        private int _length;
        private bool _inName;
        private bool _overlong;

        public string? Found { get; private set; }

        public Action<string>? NameFinished { get; set; }

        /// <summary>
        /// Shortest refused name looked for. Image samples are binary noise in which "/JS " occurs by chance about once
        /// in 130 MB; a name of three letters or more practically never does. Every action that runs something still
        /// names its type with a long name (/JavaScript, /Launch, /GoToE ...), so an image cannot hide one.
        /// </summary>
        public int MinLength { get; init; } = 1;

        public void Feed(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                Feed(b);
            }
        }

        public void Feed(byte b)
        {
            if (_inName)
            {
                if (IsWhitespace(b) || IsDelimiter(b))
                {
                    Finish();
                    _inName = b == (byte)'/';
                    _length = 0;
                    _overlong = false;
                }
                else if (_length < _name.Length)
                {
                    _name[_length++] = b;
                }
                else
                {
                    _overlong = true;
                }
            }
            else if (b == (byte)'/')
            {
                _inName = true;
                _length = 0;
                _overlong = false;
            }
        }

        public void End()
        {
            if (_inName)
            {
                Finish();
            }

            Reset();
        }

        public void Reset()
        {
            _inName = false;
            _length = 0;
            _overlong = false;
        }

        private void Finish()
        {
            if (_overlong || _length == 0)
            {
                return;
            }

            var name = Decode(_name.AsSpan(0, _length));
            if (Found is null && name.Length >= MinLength && Refused.TryGetValue(name, out var reason))
            {
                Found = reason;
            }

            NameFinished?.Invoke(name);
        }

        private static string Decode(ReadOnlySpan<byte> raw)
        {
            Span<byte> decoded = stackalloc byte[raw.Length];
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] == (byte)'#' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    decoded[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }
                else
                {
                    decoded[length++] = raw[i];
                }
            }

            return Encoding.Latin1.GetString(decoded[..length]);
        }

        private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

        private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
