extern alias authservice;

using authservice::Giia.Auth.Invalidation;
using authservice::Giia.Auth.Rbac;

using Giia.Auth.Client.Invalidation;

namespace Giia.UnitTests;

/// <summary>Which of its memory copies of the version stamps an Auth instance drops for each notice of another instance.</summary>
public sealed class NoticeFollowerTests
{
    private static readonly Guid Publisher = Guid.NewGuid();
    private static readonly Guid User = Guid.NewGuid();
    private static readonly Guid Organization = Guid.NewGuid();
    private static readonly Guid Session = Guid.NewGuid();

    private static string[] KeysOf(InvalidationNotice? notice)
    {
        var (users, organizations) = NoticeFollower.StampsOf(notice);
        return [.. PermissionCache.VersionKeys(users, organizations)];
    }

    [Fact]
    public void A_session_or_user_notice_drops_the_users_stamp_which_session_liveness_is_remembered_under()
    {
        Assert.Equal([$"perm-ver:user:{User:N}"], KeysOf(new InvalidationNotice(InvalidationKinds.Session, Publisher, 1, UserId: User, SessionId: Session)));
        Assert.Equal([$"perm-ver:user:{User:N}"], KeysOf(new InvalidationNotice(InvalidationKinds.User, Publisher, 2, UserId: User)));
    }

    [Fact]
    public void An_organization_notice_drops_the_organizations_stamp_and_an_everything_notice_the_global_one()
    {
        Assert.Equal([$"perm-ver:org:{Organization:N}"],
            KeysOf(new InvalidationNotice(InvalidationKinds.Organization, Publisher, 1, OrganizationId: Organization)));
        Assert.Equal(["perm-ver:global"], KeysOf(new InvalidationNotice(InvalidationKinds.All, Publisher, 2)));
    }

    [Theory]
    [InlineData(InvalidationKinds.Session)]
    [InlineData(InvalidationKinds.User)]
    [InlineData(InvalidationKinds.Organization)]
    public void A_notice_without_its_id_or_one_that_cannot_be_read_drops_the_global_stamp(string kind)
    {
        Assert.Equal(["perm-ver:global"], KeysOf(new InvalidationNotice(kind, Publisher, 1)));
        Assert.Equal(["perm-ver:global"], KeysOf(null));
    }

    [Theory]
    [InlineData(InvalidationKinds.Heartbeat)]
    [InlineData(InvalidationKinds.Goodbye)]
    [InlineData("a-kind-of-a-later-version")]
    public void Heartbeats_goodbyes_and_unknown_kinds_drop_nothing(string kind) =>
        Assert.Empty(KeysOf(new InvalidationNotice(kind, Publisher, 3, UserId: User, OrganizationId: Organization)));

    [Fact]
    public void The_keys_are_the_ones_a_change_replaces_in_Redis()
    {
        // The same derivation as InvalidateAsync: a user's and an organization's stamps, the global one for "every organization".
        Assert.Equal([$"perm-ver:user:{User:N}", $"perm-ver:org:{Organization:N}", "perm-ver:global"],
            PermissionCache.VersionKeys([User, User], [Organization, null, null]));
    }
}
