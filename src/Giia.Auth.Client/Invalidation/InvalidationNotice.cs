using System.Text.Json.Serialization;

namespace Giia.Auth.Client.Invalidation;

/// <summary>
/// What Auth tells every service, on core NATS, right after a commit that can change an answer it gave: a session
/// ended, a user's permissions or status changed, an organization's roles or status changed, or everything (a system
/// role). Heartbeats carry no change: they say the publisher is there and how many notices it has sent, so a service
/// that missed one (a dropped message, a publish that failed) finds the gap and forgets everything it cached.
/// </summary>
/// <param name="Kind">One of <see cref="InvalidationKinds"/>.</param>
/// <param name="Publisher">The Auth instance (new at every start).</param>
/// <param name="Sequence">The publisher's notice count: one more per notice; a heartbeat repeats the last.</param>
public sealed record InvalidationNotice(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("publisher")] Guid Publisher,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("userId")] Guid? UserId = null,
    [property: JsonPropertyName("organizationId")] Guid? OrganizationId = null,
    [property: JsonPropertyName("sessionId")] Guid? SessionId = null);
