namespace Giia.Auth.Client.Invalidation;

/// <summary>
/// Where notices travel: core NATS (at most once, no storage), outside <c>auth.&gt;</c> so the AUTH stream never
/// stores them; what a lost message would cost is caught by the sequence numbers instead.
/// </summary>
public static class InvalidationSubjects
{
    public const string Prefix = "invalidation.auth";

    public const string All = Prefix + ".>";

    public static string For(string kind) => $"{Prefix}.{kind}";
}
