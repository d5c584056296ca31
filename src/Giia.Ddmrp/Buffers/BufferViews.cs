namespace Giia.Ddmrp.Buffers;

/// <summary>One calculation of a buffer as the API shows it.</summary>
public sealed record BufferView(Guid ProductId, Guid CalculationId, DateTimeOffset CalculatedAt, DateOnly PlanningDay, decimal Adu, int DltDays,
    decimal Red, decimal Yellow, decimal Green, decimal TopOfRed, decimal TopOfYellow, decimal TopOfGreen, decimal OnHand, decimal OpenSupply,
    decimal QualifiedDemand, decimal NetFlowPosition, decimal NetFlowPercent, string PlanningStatus, string ExecutionStatus, decimal RecommendedOrder)
{
    public static BufferView Of(BufferCalculationRecord c) => new(c.ProductId, c.Id, c.CalculatedAt, c.PlanningDay, c.Adu, c.DltDays, c.Red,
        c.Yellow, c.Green, c.TopOfRed, c.TopOfYellow, c.TopOfGreen, c.OnHand, c.OpenSupply, c.QualifiedDemand, c.NetFlowPosition, c.NetFlowPercent,
        c.PlanningStatus, c.ExecutionStatus, c.RecommendedOrder);
}

/// <summary>A product's buffer: its latest calculation and the calculations before it, newest first.</summary>
public sealed record BufferHistoryView(BufferView Latest, IReadOnlyList<BufferView> History, long HistoryTotal);

/// <summary>One saved calculation with everything it was calculated from (Catalog's parameters, the positions read) and its detail.</summary>
public sealed record BufferCalculationView(BufferView Calculation, System.Text.Json.JsonElement Inputs);

[Giia.HttpApi.OpenApi.RequestExample("""{"productId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01"}""")]
public sealed record CalculateRequest([System.ComponentModel.DataAnnotations.Required] Guid? ProductId);
