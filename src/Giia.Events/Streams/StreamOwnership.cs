namespace Giia.Events;

/// <summary>
/// Which streams this service brings to the code's settings. Every service creates a stream it knows when it is
/// missing (so no service waits for another to start), but only the stream's owner updates an existing one: its NATS
/// user is the only one allowed to (<see cref="Access.NatsAccessTable"/>). Null: a process the table does not restrict
/// (a test host, a tool) owns them all.
/// </summary>
public sealed class StreamOwnership(IReadOnlyList<string>? owned)
{
    public bool Owns(string stream) => owned is null || owned.Contains(stream);
}
