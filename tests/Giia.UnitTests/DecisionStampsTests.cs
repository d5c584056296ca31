using Giia.Auth.Client.Invalidation;

using Microsoft.Extensions.Time.Testing;

namespace Giia.UnitTests;

/// <summary>How Auth's notices move the versions decisions are remembered under, and when they can be trusted.</summary>
public sealed class DecisionStampsTests
{
    private static readonly Guid Auth1 = Guid.NewGuid();
    private static readonly Guid User = Guid.NewGuid();
    private static readonly Guid Organization = Guid.NewGuid();
    private static readonly Guid Session = Guid.NewGuid();

    private static (DecisionStamps Stamps, FakeTimeProvider Time) Listening()
    {
        var time = new FakeTimeProvider();
        var stamps = new DecisionStamps(time) { Subscribed = true, Connected = true };
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Auth1, 0));
        return (stamps, time);
    }

    [Fact]
    public void Each_kind_of_notice_moves_only_what_it_names()
    {
        var (stamps, _) = Listening();
        var before = stamps.StampOf(User, Organization, Session);
        var otherSession = Guid.NewGuid();
        var otherBefore = stamps.StampOf(User, Organization, otherSession);

        stamps.Apply(new InvalidationNotice(InvalidationKinds.Session, Auth1, 1, UserId: User, SessionId: Session));
        var afterSession = stamps.StampOf(User, Organization, Session);
        Assert.NotEqual(before, afterSession);
        Assert.Equal(otherBefore, stamps.StampOf(User, Organization, otherSession));

        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 2, UserId: User));
        Assert.NotEqual(otherBefore, stamps.StampOf(User, Organization, otherSession));
        Assert.Equal(0, stamps.StampOf(Guid.NewGuid(), Organization, null).User);

        var organizationBefore = stamps.StampOf(Guid.NewGuid(), Organization, null);
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Organization, Auth1, 3, OrganizationId: Organization));
        Assert.NotEqual(organizationBefore.Organization, stamps.StampOf(Guid.NewGuid(), Organization, null).Organization);

        var globalBefore = stamps.StampOf(User, Organization, Session).Global;
        stamps.Apply(new InvalidationNotice(InvalidationKinds.All, Auth1, 4));
        Assert.NotEqual(globalBefore, stamps.StampOf(User, Organization, Session).Global);
        Assert.Equal(1, stamps.Resets);
    }

    [Fact]
    public void A_gap_in_a_publishers_sequence_forgets_everything()
    {
        var (stamps, _) = Listening();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 1, UserId: User));
        var global = stamps.StampOf(User, Organization, null).Global;

        // Notice 2 never arrived; the heartbeat says 2 were sent.
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Auth1, 2));

        Assert.NotEqual(global, stamps.StampOf(User, Organization, null).Global);
        Assert.Equal(1, stamps.Resets);

        // In order again: no further reset.
        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 3, UserId: User));
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Auth1, 3));
        Assert.Equal(1, stamps.Resets);
    }

    [Fact]
    public void A_skipped_notice_is_a_gap_too()
    {
        var (stamps, _) = Listening();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 2, UserId: User));

        Assert.Equal(1, stamps.Resets);
    }

    [Fact]
    public void A_publisher_first_heard_after_it_sent_notices_forgets_everything()
    {
        var (stamps, _) = Listening();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Guid.NewGuid(), 5));

        Assert.Equal(1, stamps.Resets);
    }

    [Fact]
    public void Notices_are_trusted_only_while_subscribed_connected_and_every_known_publisher_speaks()
    {
        var time = new FakeTimeProvider();
        var stamps = new DecisionStamps(time);
        Assert.False(stamps.IsLive); // nothing heard yet

        stamps.Subscribed = true;
        stamps.Connected = true;
        Assert.False(stamps.IsLive); // no Auth heard yet
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Auth1, 0));
        Assert.True(stamps.IsLive);

        stamps.Connected = false;
        Assert.False(stamps.IsLive);
        stamps.Connected = true;

        var auth2 = Guid.NewGuid();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, auth2, 0));
        time.Advance(TimeSpan.FromMilliseconds(900));
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Auth1, 0));
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(stamps.IsLive); // auth2 silent for 1.2 s: its notices may be getting lost

        stamps.Apply(new InvalidationNotice(InvalidationKinds.Goodbye, auth2, 0));
        Assert.True(stamps.IsLive); // it said goodbye: its silence is not a loss
        Assert.Equal(0, stamps.Resets);

        var before = stamps.Resets;
        time.Advance(DecisionStamps.ForgetAfter + TimeSpan.FromSeconds(1));
        Assert.False(stamps.IsLive); // nobody heard for long: forgotten, and nothing is trusted
        Assert.Equal(before + 1, stamps.Resets); // gone without a goodbye: its last notice may be lost
    }

    [Fact]
    public void A_goodbye_that_counts_more_notices_than_arrived_forgets_everything()
    {
        var (stamps, _) = Listening();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 1, UserId: User));

        stamps.Apply(new InvalidationNotice(InvalidationKinds.Goodbye, Auth1, 2));

        Assert.Equal(1, stamps.Resets);
    }

    [Fact]
    public void A_notice_without_the_id_it_needs_forgets_everything()
    {
        var (stamps, _) = Listening();
        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Auth1, 1));

        Assert.Equal(1, stamps.Resets);
    }
}
