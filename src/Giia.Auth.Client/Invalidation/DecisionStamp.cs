namespace Giia.Auth.Client.Invalidation;

/// <summary>
/// The versions a remembered decision was made under (everything, its organization, its user, its session). A
/// notice replaces the version it touches, so a decision remembered before it is never looked up again.
/// </summary>
public readonly record struct DecisionStamp(long Global, long Organization, long User, long Session);
