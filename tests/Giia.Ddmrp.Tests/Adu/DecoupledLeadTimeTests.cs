using Giia.Ddmrp.Engine.LeadTimes;

namespace Giia.Ddmrp.Tests.Adu;

public sealed class DecoupledLeadTimeTests
{
    [Fact]
    public void The_product_override_wins() =>
        Assert.Equal(new DecoupledLeadTime(3, LeadTimeSource.ProductOverride), DecoupledLeadTime.Resolve(3, 20, 30));

    [Fact]
    public void Else_the_primary_link_lead_time() =>
        Assert.Equal(new DecoupledLeadTime(20, LeadTimeSource.PrimarySupplierLink), DecoupledLeadTime.Resolve(null, 20, 30));

    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public void Else_the_suppliers_default(int? linkDays) =>
        Assert.Equal(new DecoupledLeadTime(30, LeadTimeSource.SupplierDefault), DecoupledLeadTime.Resolve(null, linkDays, 30));

    [Fact]
    public void Nothing_to_resolve_from_is_null() => Assert.Null(DecoupledLeadTime.Resolve(null, null, null));

    [Fact]
    public void An_override_of_zero_is_an_override() =>
        Assert.Equal(new DecoupledLeadTime(0, LeadTimeSource.ProductOverride), DecoupledLeadTime.Resolve(0, 20, 30));

    [Fact]
    public void Out_of_range_lead_times_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DecoupledLeadTime.Resolve(DecoupledLeadTime.MaxDays + 1, null, null));
}
