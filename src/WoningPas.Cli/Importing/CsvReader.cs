using System.Text;

namespace WoningPas.Cli.Importing;

/// <summary>
/// Reads a CSV file one record at a time (RFC 4180 quoting, comma or semicolon separated as the header shows), so
/// that a file of any size needs the memory of one line.
/// </summary>
internal sealed class CsvReader(TextReader reader)
{
    private char _separator = ',';

    public int LineNumber { get; private set; }

    public IReadOnlyList<string>? ReadHeader()
    {
        var line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        LineNumber = 1;
        line = line.TrimStart('\uFEFF');
        _separator = line.Count(c => c == ';') > line.Count(c => c == ',') ? ';' : ',';
        return Split(line) ?? [];
    }

    /// <summary>The next record's fields, or null at the end; a line with an unbalanced quote gives an empty list.</summary>
    public IReadOnlyList<string>? ReadRecord(out string rawLine)
    {
        string? line;
        do
        {
            line = reader.ReadLine();
            LineNumber++;
        }
        while (line is { Length: 0 });

        rawLine = line ?? "";
        return line is null ? null : Split(line) ?? [];
    }

    private List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == _separator)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }
}
