namespace Giia.Auth.Client.Invalidation;

/// <summary>The kinds of <see cref="InvalidationNotice"/>; each is also the last token of its subject.</summary>
public static class InvalidationKinds
{
    /// <summary>One session ended (logout, revoked): <c>sessionId</c> and <c>userId</c>.</summary>
    public const string Session = "session";

    /// <summary>Every answer about a user may have changed (roles, status, all their sessions ended): <c>userId</c>.</summary>
    public const string User = "user";

    /// <summary>Every answer in an organization may have changed (a role's permissions, the organization's status).</summary>
    public const string Organization = "organization";

    /// <summary>Every answer may have changed (a system role was edited).</summary>
    public const string All = "all";

    public const string Heartbeat = "heartbeat";

    /// <summary>The publisher is stopping: its silence from now on is not a lost notice.</summary>
    public const string Goodbye = "goodbye";
}
