extern alias catalogservice;

using catalogservice::Giia.Catalog.Common;
using catalogservice::Giia.Catalog.Http;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.UnitTests;

/// <summary>The Catalog operations' refusals and the problem+json answers REST translates them into.</summary>
public sealed class CatalogRefusalTests
{
    [Fact]
    public void Not_found_names_the_kind_and_the_id()
    {
        var id = Guid.Parse("0190a000-0000-7000-8000-000000000001");
        var problem = CatalogHttp.Problem(CatalogRefusal.NotFound("Buffer profile", id));
        Assert.Equal(StatusCodes.Status404NotFound, problem.StatusCode);
        Assert.Equal("Buffer profile not found", problem.ProblemDetails.Title);
        Assert.Equal($"No buffer profile {id} in your organization.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public void Conflict_stale_and_missing_precondition_keep_their_statuses()
    {
        Assert.Equal(StatusCodes.Status409Conflict, CatalogHttp.Problem(CatalogRefusal.Conflict("SKU taken", "taken")).StatusCode);
        var stale = CatalogHttp.Problem(CatalogRefusal.Stale());
        Assert.Equal(StatusCodes.Status412PreconditionFailed, stale.StatusCode);
        Assert.Equal("Changed since you read it", stale.ProblemDetails.Title);
        var required = CatalogHttp.Problem(CatalogRefusal.PreconditionRequired());
        Assert.Equal(StatusCodes.Status428PreconditionRequired, required.StatusCode);
        Assert.Equal("If-Match required", required.ProblemDetails.Title);
    }

    [Fact]
    public void Invalid_is_a_validation_problem_naming_the_fields()
    {
        var outcome = new CatalogOutcome<string>(CatalogRefusal.Invalid(new Dictionary<string, string[]> { ["sku"] = ["sku is required."] }));
        var result = CatalogHttp.NoContent(outcome).Result;
        var problem = Assert.IsType<ValidationProblem>(result);
        Assert.Equal(["sku is required."], problem.ProblemDetails.Errors["sku"]);
    }

    [Fact]
    public void Ok_sets_the_etag_of_the_version()
    {
        var http = new DefaultHttpContext();
        var result = CatalogHttp.Ok(new CatalogOutcome<string>("view", 42), v => v.ToUpperInvariant(), http).Result;
        Assert.Equal("VIEW", Assert.IsType<Ok<string>>(result).Value);
        Assert.Equal("\"42\"", http.Response.Headers.ETag.ToString());
    }
}
