using System.Collections.Concurrent;

namespace Giia.Auth.Client.Invalidation;

/// <summary>
/// What a service knows from Auth's notices: a version per organization, user and session (and one for everything)
/// that every remembered decision is keyed by, and whether the notices can be trusted right now.
/// Trusted (<see cref="IsLive"/>) means: subscribed on an open connection, heard from Auth within
/// <see cref="SilenceLimit"/>, and no Auth instance heard before has gone quiet without saying goodbye. A gap in an
/// instance's sequence numbers (a lost notice) or a reconnection replaces the global version: everything remembered
/// is forgotten, since what was missed is unknown.
/// </summary>
public sealed class DecisionStamps(TimeProvider time)
{
    /// <summary>Auth sends a heartbeat every 250 ms; four missed in a row and its notices are no longer trusted.</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(1);

    /// <summary>An instance quiet this long without a goodbye is taken to be gone (crashed, scaled in).</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(10);

    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<Guid, long> organizations = new();
    private readonly ConcurrentDictionary<Guid, long> users = new();
    private readonly ConcurrentDictionary<Guid, long> sessions = new();
    private readonly ConcurrentDictionary<Guid, Publisher> publishers = new();
    private long counter;
    private long global;

    /// <summary>Whether the subscription is in place (set by the listener).</summary>
    public bool Subscribed { get; set; }

    /// <summary>Whether the connection under it is open (set by the listener).</summary>
    public bool Connected { get; set; }

    /// <summary>How many times everything was forgotten (gaps, reconnections, dropped messages).</summary>
    public long Resets => Interlocked.Read(ref resets);

    private long resets;

    public DecisionStamp StampOf(Guid userId, Guid organizationId, Guid? sessionId)
    {
        var organization = organizations.GetValueOrDefault(organizationId);
        var user = users.GetValueOrDefault(userId);
        var session = sessionId is { } id ? sessions.GetValueOrDefault(id) : 0;
        // The global version last: a clear of the tables (see Replace) comes after a new global version, so a stamp
        // read across it carries the new global version and matches nothing remembered before.
        return new DecisionStamp(Interlocked.Read(ref global), organization, user, session);
    }

    /// <summary>Whether a remembered decision may be used for as long as it was remembered (else only briefly).</summary>
    public bool IsLive
    {
        get
        {
            if (!Subscribed || !Connected)
            {
                return false;
            }

            var heard = false;
            foreach (var (id, publisher) in publishers)
            {
                var quiet = time.GetElapsedTime(Volatile.Read(ref publisher.LastHeard));
                if (quiet > ForgetAfter)
                {
                    // Gone without a goodbye: whatever it sent last may never have arrived.
                    if (publishers.TryRemove(id, out _))
                    {
                        ForgetEverything();
                    }
                }
                else if (quiet > SilenceLimit)
                {
                    return false;
                }
                else
                {
                    heard = true;
                }
            }

            return heard;
        }
    }

    /// <summary>Applies one notice: the versions it touches, and the publisher's sequence (a gap forgets everything).</summary>
    public void Apply(InvalidationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var now = time.GetTimestamp();
        if (notice.Kind == InvalidationKinds.Goodbye)
        {
            // The goodbye carries the publisher's last count: a notice it sent that never arrived is a gap here too.
            if (!publishers.TryRemove(notice.Publisher, out var leaving) || notice.Sequence > leaving.Sequence)
            {
                ForgetEverything();
            }

            return;
        }

        var publisher = publishers.GetOrAdd(notice.Publisher, _ => new Publisher());
        lock (publisher)
        {
            var expected = notice.Kind == InvalidationKinds.Heartbeat ? publisher.Sequence : publisher.Sequence + 1;
            // A first contact that has already sent notices, or any jump: notices went missing (or came out of order).
            if (publisher.Known ? notice.Sequence > expected : notice.Sequence > (notice.Kind == InvalidationKinds.Heartbeat ? 0 : 1))
            {
                ForgetEverything();
            }

            publisher.Known = true;
            publisher.Sequence = Math.Max(publisher.Sequence, notice.Sequence);
            Volatile.Write(ref publisher.LastHeard, now);
        }

        Invalidate(notice);
    }

    /// <summary>Replaces the versions a notice touches (again, for the delayed second pass; see the listener).</summary>
    public void Invalidate(InvalidationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        switch (notice.Kind)
        {
            case InvalidationKinds.Session when notice.SessionId is { } session:
                Replace(sessions, session);
                break;
            case InvalidationKinds.Session or InvalidationKinds.User when notice.UserId is { } user:
                Replace(users, user);
                break;
            case InvalidationKinds.Organization when notice.OrganizationId is { } organization:
                Replace(organizations, organization);
                break;
            case InvalidationKinds.Session or InvalidationKinds.User or InvalidationKinds.Organization or InvalidationKinds.All:
                ForgetEverything(); // a notice without its id (or one of everything): the safe reading is everything
                break;
        }
    }

    /// <summary>Forgets every remembered decision (a new global version).</summary>
    public void ForgetEverything()
    {
        Interlocked.Exchange(ref global, Interlocked.Increment(ref counter));
        Interlocked.Increment(ref resets);
    }

    private void Replace(ConcurrentDictionary<Guid, long> versions, Guid id)
    {
        if (versions.Count >= MaxTracked)
        {
            // A version that is dropped reads as 0 again, which an old decision may carry: a new global version first.
            ForgetEverything();
            versions.Clear();
        }

        versions[id] = Interlocked.Increment(ref counter);
    }

    private sealed class Publisher
    {
        public bool Known;
        public long Sequence;
        public long LastHeard;
    }
}
