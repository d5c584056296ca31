using System.Text.Json;

using CsCheck;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.HttpApi;

namespace Giia.UnitTests;

/// <summary>The API's email rule and the event schemas' <c>email</c> format are one rule.</summary>
public sealed class EmailRuleTests
{
    [Theory]
    [InlineData("ana@example.com")]
    [InlineData("ana.maria+giia@planning.example.co")]
    [InlineData("o'brien@example.org")]
    [InlineData("x@a-b.io")]
    public void Accepts_ordinary_addresses(string email)
    {
        Assert.True(EmailAddresses.IsValid(email));
        Assert.True(SchemaAccepts(email));
    }

    [Theory]
    [InlineData("ana@example.c")]          // one-letter top-level domain
    [InlineData("ana..maria@example.com")] // consecutive dots
    [InlineData(".ana@example.com")]
    [InlineData("ana.@example.com")]
    [InlineData("ana@example..com")]
    [InlineData("ana@-example.com")]
    [InlineData("ana@example")]
    [InlineData("ana@@example.com")]
    [InlineData("ana@exa mple.com")]
    [InlineData("ana\0@example.com")]
    [InlineData("ana@example.c0m")]
    [InlineData("")]
    public void Refuses_what_the_schema_refused_before(string email)
    {
        Assert.False(EmailAddresses.IsValid(email));
        Assert.False(SchemaAccepts(email));
        Assert.True(new FieldErrors().Email("email", email).Any);
    }

    [Fact]
    public void Refuses_addresses_longer_than_254_characters()
    {
        var email = $"{new string('a', 64)}@{string.Join('.', Enumerable.Repeat(new string('b', 60), 4))}.com";
        Assert.True(email.Length > 254);
        Assert.False(EmailAddresses.IsValid(email));
    }

    [Fact]
    public void The_api_accepts_exactly_what_the_user_registered_schema_accepts()
    {
        var part = Gen.String[Gen.Char["a.-_+@z0 \0"], 0, 8];
        Gen.Select(part, part, Gen.Int[0, 3]).Select((local, domain, tld) => $"{local}@{domain}.{new string('c', tld)}")
            .Sample(email => EmailAddresses.IsValid(email) == SchemaAccepts(email), iter: 2_000);
    }

    private static bool SchemaAccepts(string email)
    {
        var data = JsonSerializer.SerializeToElement(
            new UserRegistered(Guid.NewGuid(), email, "Ana", Guid.NewGuid(), "pending", DateTimeOffset.UtcNow), EventEnvelope.DataSerializerOptions);
        var envelope = new EventEnvelope
        {
            Id = Guid.NewGuid().ToString(),
            Source = "/giia/auth",
            Type = "user.registered",
            Time = DateTimeOffset.UtcNow,
            Subject = "users/1",
            OrganizationId = Guid.NewGuid(),
            Data = data,
        };
        try
        {
            EventSchemaRegistry.Default.Validate(envelope);
            return true;
        }
        catch (EventValidationException ex) when (ex.Message.Contains("email", StringComparison.Ordinal))
        {
            return false;
        }
    }
}
