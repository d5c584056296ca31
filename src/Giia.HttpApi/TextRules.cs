namespace Giia.HttpApi;

/// <summary>What text GIIA stores: no control characters (PostgreSQL refuses NUL; the others corrupt logs and exports).</summary>
public static class TextRules
{
    /// <summary>
    /// True when the text holds a control character (C0, DEL, C1) or a lone surrogate. Multi-line fields may keep
    /// tab, line feed and carriage return.
    /// </summary>
    public static bool HasForbiddenCharacters(string value, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r')))
            {
                return true;
            }
        }

        return false;
    }
}
