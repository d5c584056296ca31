namespace Giia.Ddmrp.Inputs;

/// <summary>Usage or forecast: a product's quantity on a day.</summary>
public sealed record DailyQuantityInput(Guid? ProductId, DateOnly? Day, decimal? Quantity);

public sealed record DailyQuantitiesRequest(IReadOnlyList<DailyQuantityInput>? Rows);

public sealed record OnHandInput(Guid? ProductId, decimal? Quantity);

public sealed record OnHandRequest(IReadOnlyList<OnHandInput>? Rows);

/// <summary>An open supply or demand line, by the caller's document reference: what is still open and when it is due.</summary>
public sealed record OpenLineInput(string? Reference, Guid? ProductId, DateOnly? DueDate, decimal? Quantity);

public sealed record OpenLinesRequest(IReadOnlyList<OpenLineInput>? Rows);

/// <summary>How many rows were stored (inserted or replaced).</summary>
public sealed record InputsAccepted(int Rows);
