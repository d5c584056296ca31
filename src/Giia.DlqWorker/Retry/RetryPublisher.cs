using System.Globalization;
using System.Text.Json;

using Giia.DlqWorker.Parking;
using Giia.Events;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.DlqWorker.Retry;

/// <summary>
/// Sends a dead letter back to the one consumer that failed on it, on <c>retry.{consumer}.{subject}</c>.
/// Each retry has its own message id (<c>{event}:{consumer}:retry:{n}</c>): a republish with the original id would be
/// dropped by JetStream as a duplicate.
/// </summary>
public sealed class RetryPublisher(INatsJSContext jetStream)
{
    public async Task PublishAsync(DeadLetter deadLetter, int retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var headers = new NatsHeaders
        {
            [EventHeaders.OriginalSubject] = deadLetter.OriginalSubject,
            [EventHeaders.RetryAttempt] = retry.ToString(CultureInfo.InvariantCulture),
            [EventHeaders.EventType] = deadLetter.EventType,
        };
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(deadLetter.Headers) ?? [])
        {
            if (name is EventHeaders.TraceParent or EventHeaders.TraceState)
            {
                headers[name] = value;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var ack = await jetStream.PublishAsync(EventStreams.RetrySubject(deadLetter.Consumer, deadLetter.OriginalSubject),
            System.Text.Encoding.UTF8.GetBytes(deadLetter.Payload),
            opts: new NatsJSPubOpts { MsgId = $"{deadLetter.EventId}:{deadLetter.Consumer}:retry:{retry}" },
            headers: headers, cancellationToken: timeout.Token);
        ack.EnsureSuccess();
    }
}
