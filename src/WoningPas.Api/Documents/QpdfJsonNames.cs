namespace WoningPas.Api.Documents;

/// <summary>
/// Reads qpdf's JSON (version 2) of a whole document as it streams out, in constant memory, and stops at the first
/// refused name. In that JSON every object of the file is listed once, those from object streams included; names are
/// JSON strings starting with <c>/</c> (already decoded: <c>/J#61vaScript</c> is shown as <c>/JavaScript</c>), or with
/// <c>n:/</c> in PDF syntax when they are not UTF-8; strings carry a <c>u:</c> or <c>b:</c> prefix, so text in a
/// document never reads as a name. Dictionary keys and values count alike. The only JSON strings skipped are the
/// values of <c>"data"</c>: a stream's decoded bytes in base64, which may start with a slash by chance.
/// </summary>
internal sealed class QpdfJsonNames
{
    // Long enough for "n:/" and a name of 127 bytes written with #xx escapes.
    private readonly byte[] _text = new byte[3 + (3 * PdfActiveNames.MaxNameBytes)];
    private int _length;
    private bool _overlong;
    private bool _inString;
    private bool _skipping;
    private int _escape;
    private int _unicode;
    private bool _lastWasDataKey;
    private bool _valueIsData;

    public string? Found { get; private set; }

    /// <summary>Whether the document has an object stream (<c>/ObjStm</c>): its objects are listed only when the
    /// cross-reference data that points into it could be read.</summary>
    public bool SawObjectStream { get; private set; }

    public void Feed(ReadOnlySpan<byte> json)
    {
        foreach (var b in json)
        {
            if (_inString)
            {
                InString(b);
            }
            else if (b == (byte)'"')
            {
                _inString = true;
                _skipping = _valueIsData;
                _valueIsData = false;
                _length = 0;
                _overlong = false;
            }
            else if (b == (byte)':')
            {
                _valueIsData = _lastWasDataKey;
            }
            else if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                _valueIsData = false;
                _lastWasDataKey = false;
            }
        }
    }

    private void InString(byte b)
    {
        if (_escape > 0)
        {
            Escaped(b);
            return;
        }

        if (b == (byte)'\\')
        {
            _escape = 1;
        }
        else if (b == (byte)'"')
        {
            _inString = false;
            if (!_skipping)
            {
                StringEnded();
            }
        }
        else
        {
            Append(b);
        }
    }

    /// <summary>JSON escapes: qpdf writes them only for quotes, backslashes and control characters, but a
    /// <c>\u00XX</c> spelling of a letter is decoded all the same, so that no spelling hides a name.</summary>
    private void Escaped(byte b)
    {
        if (_escape == 1)
        {
            if (b == (byte)'u')
            {
                _escape = 2;
                _unicode = 0;
                return;
            }

            _escape = 0;
            Append(b switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                (byte)'b' => 0x08,
                (byte)'f' => 0x0C,
                _ => b,
            });
            return;
        }

        _unicode = (_unicode << 4) | (!char.IsAsciiHexDigit((char)b) ? 0 : b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
        if (++_escape == 6)
        {
            _escape = 0;
            // Beyond Latin-1 it is no letter of a refused name; any non-ASCII marker keeps the name from matching.
            Append(_unicode <= 0xFF ? (byte)_unicode : (byte)0x80);
        }
    }

    private void Append(byte b)
    {
        if (_skipping)
        {
            return;
        }

        if (_length < _text.Length)
        {
            _text[_length++] = b;
        }
        else
        {
            _overlong = true;
        }
    }

    private void StringEnded()
    {
        var text = _text.AsSpan(0, _length);
        _lastWasDataKey = !_overlong && text.SequenceEqual("data"u8);
        if (_overlong || Found is not null)
        {
            return;
        }

        if (text.StartsWith("/"u8))
        {
            SawObjectStream |= text.SequenceEqual("/ObjStm"u8);
            Found = PdfActiveNames.Reason(text[1..]);
        }
        else if (text.StartsWith("n:/"u8))
        {
            Found = PdfActiveNames.ReasonForEscaped(text[3..]);
        }
    }
}
