using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>Bad input gets a 400 problem+json naming the field, and nothing is written.</summary>
[Collection(GiiaSystem.Name)]
public sealed class BadInputTests(GiiaAppFixture fixture)
{
    public static TheoryData<string, string> BadRegistrations => new()
    {
        { """{"email":"not-an-email","password":"correct horse battery","name":"Ana","organizationName":"Acme"}""", "email" },
        { """{"email":"EMAIL","password":"short","name":"Ana","organizationName":"Acme"}""", "password" },
        { """{"email":"EMAIL","password":"password123","name":"Ana","organizationName":"Acme"}""", "password" },
        { """{"email":"EMAIL","password":"correct horse battery","organizationName":"Acme"}""", "name" },
        { """{"email":"EMAIL","password":"correct horse battery","name":"Ana"}""", "organizationName" },
        { """{"email":"EMAIL","password":"correct horse battery","name":"NAME","organizationName":"Acme"}""", "name" },
        { """{"email":"EMAIL","password":"PASSWORD","name":"Ana","organizationName":"Acme"}""", "password" },
        { """{"email":"EMAIL","password":"correct horse battery","name":"Ana","organizationName":12}""", "organizationName" },
        { """{"email":"EMAIL","password":"correct horse battery","name":"Ana",""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registration_is_a_400_naming_the_field_and_writes_nothing(string template, string field)
    {
        using var http = fixture.CreateHttpClient("auth");
        var email = $"bad-{Guid.NewGuid():N}@example.com";
        var body = template.Replace("EMAIL", email, StringComparison.Ordinal)
            .Replace("NAME", new string('n', 201), StringComparison.Ordinal)
            .Replace("PASSWORD", new string('p', 129), StringComparison.Ordinal);

        using var response = await http.PostAsync(new Uri("/api/auth/register", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = problem.ToString();
        Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await UsersWithEmailAsync(email));
    }

    private async Task<long> UsersWithEmailAsync(string email)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM users WHERE email = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
