using Giia.Events.Access;

namespace Giia.UnitTests;

/// <summary>The DLQ worker believes a dead letter's routing headers only where the NATS access table backs them.</summary>
public sealed class DeadLetterRouteTests
{
    [Theory]
    [InlineData("auth-password-email", "auth.user.password_reset_requested")]
    [InlineData("ddmrp-copy-product-created", "catalog.product.created")]
    [InlineData("ddmrp-recalculation", "ddmrp-work.buffer.recalculation_chunk")]
    [InlineData("tests-flaky-1234", "catalog.product.created")] // a consumer of a login the table does not restrict
    public void A_granted_consumer_and_subject_are_believed(string consumer, string subject)
    {
        Assert.True(DeadLetterRoute.IsGranted(consumer, subject));
        Assert.Null(DeadLetterRoute.Refusal($"dlq.{subject}", consumer, subject));
        Assert.Null(DeadLetterRoute.Refusal($"dlq.recovered.{consumer}.{subject}", consumer, subject));
    }

    [Theory]
    [InlineData("auth-password-email", "catalog.product.created")] // Ddmrp's subject, Auth's consumer
    [InlineData("ddmrp-copy-product-created", "auth.user.password_reset_requested")]
    [InlineData("ddmrp-copy-product-created", "catalog.product.updated")] // another consumer's subject of the same service
    [InlineData("auth-spy", "auth.user.password_reset_requested")] // a consumer the table does not list
    [InlineData("dlqworker-intake", "dlq.catalog.product.created")] // not a subscription
    [InlineData("auth-password-email", "auth.user.>")]
    [InlineData("auth-password-email", "auth.user.*")]
    [InlineData("auth-password-email", "")]
    [InlineData("tests-x", "catalog.>")]
    [InlineData("auth-password-email.x", "auth.user.password_reset_requested")]
    [InlineData("auth-password-email\r\n", "auth.user.password_reset_requested")] // control characters in a header
    [InlineData("auth-password-email", "auth.user.password_reset_requested\u0000")]
    [InlineData("auth-password-email ", "auth.user.password_reset_requested")]
    [InlineData("auth password email", "auth.user.password_reset_requested")]
    public void A_consumer_the_table_does_not_grant_the_subject_is_refused(string consumer, string subject)
    {
        Assert.False(DeadLetterRoute.IsGranted(consumer, subject));
        Assert.NotNull(DeadLetterRoute.Refusal($"dlq.{subject}", consumer, subject));
    }

    [Fact]
    public void A_huge_consumer_or_subject_header_is_refused()
    {
        var huge = new string('a', 100_000);
        Assert.False(DeadLetterRoute.IsGranted("auth-password-email" + huge, "auth.user.password_reset_requested"));
        Assert.False(DeadLetterRoute.IsGranted("auth-password-email", "auth.user.password_reset_requested." + huge));
    }

    [Fact]
    public void A_dead_letter_is_believed_only_on_the_subject_its_headers_imply()
    {
        // The forgery of the review: Ddmrp may publish dlq.catalog.product.created and names Auth's mail consumer.
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", "auth-password-email", "catalog.product.created"));
        // … or names Auth's subject in the header while publishing on its own.
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", "auth-password-email", "auth.user.password_reset_requested"));
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", "tests-x", "auth.user.password_reset_requested"));
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", null, "catalog.product.created"));
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", "", "catalog.product.created"));
        // Without the subject header the subject is the report's own.
        Assert.Null(DeadLetterRoute.Refusal("dlq.catalog.product.created", "ddmrp-copy-product-created", null));
        Assert.NotNull(DeadLetterRoute.Refusal("dlq.catalog.product.created", "auth-password-email", null));
    }

    [Fact]
    public void A_recovery_is_believed_only_for_the_consumer_its_subject_names()
    {
        const string Subject = "catalog.product.created";
        Assert.Null(DeadLetterRoute.Refusal($"dlq.recovered.ddmrp-copy-product-created.{Subject}", "ddmrp-copy-product-created", null));
        Assert.NotNull(DeadLetterRoute.Refusal($"dlq.recovered.ddmrp-copy-product-created.{Subject}", "auth-password-email", Subject));
        Assert.NotNull(DeadLetterRoute.Refusal($"dlq.recovered.ddmrp-copy-product-created.{Subject}", "auth-password-email", null));
        Assert.NotNull(DeadLetterRoute.Refusal($"dlq.recovered.ddmrp-copy-product-created.{Subject}", "ddmrp-copy-product-created",
            "catalog.product.updated"));
        Assert.NotNull(DeadLetterRoute.Refusal($"dlq.recovered.auth-password-email.{Subject}", "auth-password-email", Subject));
    }

    [Theory]
    [InlineData("catalog.>", "catalog.product.created", true)]
    [InlineData("catalog.>", "catalog", false)]
    [InlineData("catalog.*.created", "catalog.product.created", true)]
    [InlineData("catalog.*", "catalog.product.created", false)]
    [InlineData("catalog.product.created", "catalog.product.created", true)]
    [InlineData("catalog.product.created", "catalog.product.updated", false)]
    public void Subjects_match_as_NATS_matches_them(string filter, string subject, bool matches) =>
        Assert.Equal(matches, DeadLetterRoute.SubjectMatches(filter, subject));
}
