extern alias catalogservice;

using catalogservice::Giia.Catalog.Common;
using catalogservice::Giia.Catalog.Http;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.UnitTests;

public sealed class ETagTests
{
    [Theory]
    [InlineData("", StatusCodes.Status428PreconditionRequired)]
    [InlineData("\"6\"", StatusCodes.Status412PreconditionFailed)]
    [InlineData("W/\"7\"", StatusCodes.Status412PreconditionFailed)]
    [InlineData("garbage", StatusCodes.Status412PreconditionFailed)]
    public void Missing_or_stale_if_match_is_refused(string ifMatch, int status)
    {
        Assert.Equal(status, Check(ifMatch, 7)?.StatusCode);
    }

    [Theory]
    [InlineData("\"7\"")]
    [InlineData("\"3\", \"7\"")]
    [InlineData("*")]
    public void Matching_if_match_passes(string ifMatch) => Assert.Null(Check(ifMatch, 7));

    private static ProblemHttpResult? Check(string ifMatch, uint version)
    {
        var http = new DefaultHttpContext();
        if (ifMatch.Length > 0)
        {
            http.Request.Headers.IfMatch = ifMatch;
        }

        return ETags.Check(CatalogHttp.IfMatchOf(http), version) is { } refused ? CatalogHttp.Problem(refused) : null;
    }
}
