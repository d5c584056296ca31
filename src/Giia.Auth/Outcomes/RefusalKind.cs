namespace Giia.Auth.Outcomes;

/// <summary>Why an operation was refused; the endpoints turn each kind into its HTTP status (or gRPC status).</summary>
public enum RefusalKind
{
    /// <summary>The input is wrong (400); with <see cref="Refusal.Field"/>, the field it names.</summary>
    Invalid,

    /// <summary>The caller is not who they need to be (401).</summary>
    Unauthorized,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,

    /// <summary>What it acts on is not there, or not the caller's organization's (404).</summary>
    NotFound,

    /// <summary>The state forbids it (409).</summary>
    Conflict,

    /// <summary>Too many failures: try again after <see cref="Refusal.RetryAfter"/> (429).</summary>
    Locked,
}
