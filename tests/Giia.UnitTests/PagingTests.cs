using CsCheck;

using Giia.HttpApi;

namespace Giia.UnitTests;

public sealed class PagingTests
{
    [Theory]
    [InlineData(int.MaxValue, 100)]
    [InlineData(21_474_837, 100)]
    [InlineData(0, 20)]
    [InlineData(-1, 20)]
    [InlineData(1, 0)]
    [InlineData(1, 101)]
    public void Out_of_range_pages_are_refused(int page, int pageSize) => Assert.NotEmpty(new PageRequest(page, pageSize).Validate());

    [Fact]
    public void Defaults_are_the_first_page_of_twenty()
    {
        var request = new PageRequest(null, null);
        Assert.Empty(request.Validate());
        Assert.Equal((1, 20, 0), (request.Number, request.Size, request.Skip));
    }

    [Fact]
    public void Every_accepted_page_has_an_offset_that_neither_overflows_nor_goes_negative()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample((page, pageSize) =>
        {
            var request = new PageRequest(page, pageSize);
            return request.Validate().Count > 0
                || (request.Skip >= 0 && request.Skip <= PageRequest.MaxOffset && request.Skip == (long)(page - 1) * pageSize);
        });
    }
}
