namespace Giia.DlqWorker.Parking;

/// <summary>The user acting on dead letters, from their Auth token: only their organization's dead letters are theirs.</summary>
public sealed record DeadLetterOperator(Guid UserId, Guid OrganizationId, string? Email)
{
    public override string ToString() => Email is null ? $"user {UserId}" : $"{Email} ({UserId})";
}
