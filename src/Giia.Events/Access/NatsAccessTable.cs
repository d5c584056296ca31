using System.Text;

using Giia.Events.Contracts;

namespace Giia.Events.Access;

/// <summary>
/// The NATS users of GIIA's services and what each may do (issue: a service that can publish on NATS must not be able
/// to send another service's events, such as Auth's password-reset requests). The one place these grants are written:
/// the AppHost renders the server's <c>authorization</c> block from it, a test holds deploy/k8s to the same text, and a
/// service refuses to start with a subscription this table does not grant.
/// </summary>
public static class NatsAccessTable
{
    public const string Auth = "auth";
    public const string Catalog = "catalog";
    public const string Ddmrp = "ddmrp";
    public const string DlqWorker = "dlqworker";

    private static readonly string[] SharedStreams = [.. EventStreams.Shared.Select(s => s.Name)];

    public static readonly IReadOnlyList<ServiceNatsAccess> Services =
    [
        new(Auth,
            Publishes: ["auth.>", SubjectOf<AuditRecorded>(), SubjectOf<AuditChecksRecorded>(), "invalidation.auth.>"],
            Consumers:
            [
                Subscription<UserRegistered>(Auth, "verification-email"),
                Subscription<UserVerificationRequested>(Auth, "verification-resend"),
                Subscription<UserPasswordResetRequested>(Auth, "password-email"),
                Subscription<UserRegistrationAttempted>(Auth, "registration-attempt-email"),
            ],
            OwnedStreams: [EventStreams.Auth, EventStreams.Audit],
            KnownStreams: SharedStreams,
            // Each instance follows the others' notices (Giia.Auth's NoticeFollower).
            ListensToAuthNotices: true),
        new(Catalog,
            Publishes: ["catalog.>"],
            Consumers: [],
            OwnedStreams: [EventStreams.Catalog],
            KnownStreams: SharedStreams,
            ListensToAuthNotices: true),
        new(Ddmrp,
            Publishes: ["ddmrp.>", "ddmrp-work.>"],
            Consumers:
            [
                Subscription<BufferRecalculationChunk>(Ddmrp, "recalculation"),
                Subscription<ProductCreated>(Ddmrp, "copy-product-created"),
                Subscription<ProductUpdated>(Ddmrp, "copy-product-updated"),
                Subscription<ProductDeleted>(Ddmrp, "copy-product-deleted"),
                Subscription<BufferProfileCreated>(Ddmrp, "copy-profile-created"),
                Subscription<BufferProfileUpdated>(Ddmrp, "copy-profile-updated"),
                Subscription<BufferProfileDeleted>(Ddmrp, "copy-profile-deleted"),
                Subscription<SupplierCreated>(Ddmrp, "copy-supplier-created"),
                Subscription<SupplierUpdated>(Ddmrp, "copy-supplier-updated"),
                Subscription<SupplierDeleted>(Ddmrp, "copy-supplier-deleted"),
                Subscription<ProductSupplierLinked>(Ddmrp, "copy-link-created"),
                Subscription<ProductSupplierLinkUpdated>(Ddmrp, "copy-link-updated"),
                Subscription<ProductSupplierUnlinked>(Ddmrp, "copy-link-deleted"),
            ],
            OwnedStreams: [EventStreams.Ddmrp, EventStreams.DdmrpWorkQueue.Name],
            KnownStreams: [.. SharedStreams, EventStreams.DdmrpWorkQueue.Name],
            ListensToAuthNotices: true),
        // The worker sends dead letters back to the consumer that failed on them (retry.>) and audits operators'
        // replays and discards like Auth audits its users.
        new(DlqWorker,
            Publishes: [$"{EventStreams.RetryPrefix}>", SubjectOf<AuditRecorded>()],
            Consumers: [new ConsumerGrant(EventStreams.DeadLetter, $"{DlqWorker}-intake", EventStreams.SubjectsByStream[EventStreams.DeadLetter], DeadLetters: false)],
            OwnedStreams: [EventStreams.DeadLetter, EventStreams.Retry],
            KnownStreams: SharedStreams,
            ListensToAuthNotices: true),
    ];

    /// <summary>The grants of <paramref name="user"/>, or null for a user the table does not restrict (an operator, a test host).</summary>
    public static ServiceNatsAccess? For(string user) => Services.FirstOrDefault(s => s.User == user);

    /// <summary>Fails unless <paramref name="service"/> (when the table knows it) may consume <paramref name="subject"/> as <paramref name="consumer"/>.</summary>
    public static void EnsureGranted(string service, string consumer, string subject)
    {
        if (For(service) is { } access && !access.Consumers.Any(c => c.Consumer == consumer && c.FilterSubject == subject && c.DeadLetters))
        {
            throw new InvalidOperationException(
                $"The NATS user '{service}' may not consume '{subject}' as '{consumer}': grant it in {nameof(NatsAccessTable)} "
                + "(src/Giia.Events/Access), which the NATS server's permissions are made from.");
        }
    }

    /// <summary>
    /// The server's <c>authorization</c> block: the operator's unrestricted user, then one restricted user per service.
    /// <paramref name="passwordOf"/> gives each user's password as it is to appear in the file: a quoted literal, or a
    /// variable such as <c>$NATS_AUTH_PASSWORD</c>.
    /// </summary>
    public static string AuthorizationBlock(string operatorUser, string operatorPassword, Func<string, string> passwordOf)
    {
        ArgumentNullException.ThrowIfNull(passwordOf);
        var text = new StringBuilder();
        text.Append("authorization {\n  users: [\n");
        text.Append($"    {{ user: {operatorUser}, password: {operatorPassword} }}\n");
        foreach (var service in Services)
        {
            text.Append($"    {{\n      user: \"{service.User}\", password: {passwordOf(service.User)}\n      permissions: {{\n");
            text.Append($"        publish: {{ allow: [\n{Quoted(service.PublishAllowed)}\n        ] }}\n");
            text.Append($"        subscribe: {{ allow: [\n{Quoted(service.SubscribeAllowed)}\n        ] }}\n");
            text.Append("      }\n    }\n");
        }

        text.Append("  ]\n}\n");
        return text.ToString();
    }

    /// <summary>The variable deploy/k8s names for a service's password (<c>$NATS_DLQWORKER_PASSWORD</c>).</summary>
    public static string PasswordVariable(string user) => $"$NATS_{user.ToUpperInvariant()}_PASSWORD";

    // One subject a line, so that a change to the grants reads as a change of lines in deploy/k8s.
    private static string Quoted(IEnumerable<string> subjects) => string.Join("\n", subjects.Select(s => $"          \"{s}\""));

    private static ConsumerGrant Subscription<TEvent>(string service, string name)
    {
        var subject = SubjectOf<TEvent>();
        return new ConsumerGrant(EventStreams.ForSubject([.. EventStreams.Shared, EventStreams.DdmrpWorkQueue], subject), $"{service}-{name}",
            subject, DeadLetters: true);
    }

    private static string SubjectOf<TEvent>()
    {
        var attribute = GiiaEventAttribute.Of(typeof(TEvent));
        return EventSchemaRegistry.Default.Get(attribute.Type, attribute.SchemaVersion).NatsSubject;
    }
}
