using System.ComponentModel.DataAnnotations;

namespace Giia.HttpApi.OpenApi;

/// <summary>Documents a <c>page</c> query value as <see cref="PageRequest"/> validates it: 1 or more (default 1; the furthest page is bounded by 10 million rows).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PageNumberAttribute : RangeAttribute
{
    public PageNumberAttribute() : base(1, int.MaxValue)
    {
    }
}

/// <summary>Documents a <c>pageSize</c> query value as <see cref="PageRequest"/> validates it: 1 to 100 (default 20).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PageSizeAttribute : RangeAttribute
{
    public PageSizeAttribute() : base(1, PageRequest.MaxPageSize)
    {
    }
}
