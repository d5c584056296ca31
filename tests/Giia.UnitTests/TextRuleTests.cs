using CsCheck;

using Giia.HttpApi;

namespace Giia.UnitTests;

public sealed class TextRuleTests
{
    [Theory]
    [InlineData("bolt\0")]
    [InlineData("\u0001")]
    [InlineData("line\u007f")]
    [InlineData("c1\u0085")]
    [InlineData("tab\tin a single line")]
    public void Control_characters_and_lone_surrogates_are_refused(string value)
    {
        Assert.True(TextRules.HasForbiddenCharacters(value));
        Assert.Equal(["name must not contain control characters."], new FieldErrors().Text("name", value, 100).Errors["name"]);
    }

    [Fact]
    public void A_lone_surrogate_is_refused() => Assert.True(TextRules.HasForbiddenCharacters("lone " + (char)0xD800 + " surrogate"));

    [Theory]
    [InlineData("Hex bolt M8 × 40 — zinc")]
    [InlineData("emoji 🚚 pair")]
    [InlineData("Ünïcödé")]
    public void Printable_text_passes(string value) => Assert.False(new FieldErrors().Text("name", value, 100).Any);

    [Fact]
    public void Multi_line_fields_keep_tab_and_line_breaks_but_not_nul()
    {
        Assert.False(TextRules.HasForbiddenCharacters("one\ntwo\r\n\tthree", multiline: true));
        Assert.True(TextRules.HasForbiddenCharacters("one\0two", multiline: true));
    }

    [Fact]
    public void Any_text_with_a_c0_control_character_is_refused_wherever_it_sits()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 20], Gen.Char['\0', '\u001f'], Gen.String[Gen.Char.AlphaNumeric, 0, 20])
            .Sample((before, control, after) => TextRules.HasForbiddenCharacters(before + control + after));
    }

    [Fact]
    public void Optional_query_values_are_checked_only_when_given()
    {
        Assert.False(new FieldErrors().OptionalText("search", null, 10).Any);
        Assert.True(new FieldErrors().OptionalText("search", "\0", 10).Errors.ContainsKey("search"));
        Assert.True(new FieldErrors().OptionalText("search", new string('x', 11), 10).Errors.ContainsKey("search"));
    }
}
