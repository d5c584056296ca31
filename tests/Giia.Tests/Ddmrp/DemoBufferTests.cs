using System.Net;
using System.Text.Json;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Ddmrp;

/// <summary>The development demo's planning screen: every demo product has a buffer, and every status is on it.</summary>
[Collection(GiiaSystem.Name)]
public sealed class DemoBufferTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Every_demo_product_has_a_calculated_buffer_and_the_planning_screen_shows_every_status()
    {
        using var auth = new AuthApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var viewer = (await auth.LoginAsync("viewer@demo.giia.local", await fixture.ParameterAsync("demo-password"))).AccessToken;

        var page = await Eventually.UntilAsync(async () => (await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers?pageSize=100", viewer)).Body,
            body => body.ValueKind == JsonValueKind.Object && body.GetProperty("total").GetInt64() >= 36, TimeSpan.FromMinutes(2),
            "the demo buffers to be calculated");

        var buffers = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(36, buffers.Count);
        var statuses = buffers.GroupBy(b => b.GetProperty("planningStatus").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["below_red", "green", "red", "yellow"], statuses.Keys.Order());
        Assert.All(statuses.Values, count => Assert.Equal(9, count));
        // Most urgent first: NFP % never decreases down the list.
        var percents = buffers.Select(b => b.GetProperty("netFlowPercent").GetDecimal()).ToList();
        Assert.Equal(percents.Order(), percents);

        var first = buffers[0].GetProperty("productId").GetString();
        var (status, history) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{first}", viewer);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(history.GetProperty("historyTotal").GetInt64() >= 2, "the first calculation learns the zones, the second sets the status");
        var (_, detail) = await ddmrp.SendAsync(HttpMethod.Get,
            $"/api/buffers/{first}/calculations/{history.GetProperty("latest").GetProperty("calculationId").GetString()}", viewer);
        Assert.Equal(90, detail.GetProperty("inputs").GetProperty("input").GetProperty("usage").GetArrayLength());
    }
}
