namespace Giia.Auth.Rbac;

/// <summary>The user and organization a refused check asked about, kept in its audit record's metadata.</summary>
public sealed record CheckTarget(Guid UserId, Guid OrganizationId);
