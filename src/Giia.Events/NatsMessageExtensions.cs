using NATS.Client.JetStream;

namespace Giia.Events;

public static class NatsMessageExtensions
{
    /// <summary>A header's value, or null when the message does not carry it.</summary>
    public static string? HeaderValue<T>(this INatsJSMsg<T> message, string name)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Headers is { } headers && headers.TryGetValue(name, out var values) ? values.ToString() : null;
    }
}
