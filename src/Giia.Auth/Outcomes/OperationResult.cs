namespace Giia.Auth.Outcomes;

/// <summary>What an operation gave back: its value, or the <see cref="Refusal"/> that stopped it.</summary>
public readonly record struct OperationResult<T>(T? Value, Refusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static implicit operator OperationResult<T>(T value) => new(value, null);

    public static implicit operator OperationResult<T>(Refusal refusal) => new(default, refusal);
}
