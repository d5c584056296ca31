using System.Text.Json;

using Giia.Events;
using Giia.Events.Contracts;

using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.Tests.Events;

/// <summary>Puts events on, and reads them off, JetStream as a test needs, bypassing the services.</summary>
public static class EventWire
{
    public static ProductCreated NewProduct(Guid organizationId, string sku = "SKU-1") =>
        new(Guid.NewGuid(), organizationId, sku, "Widget", "parts", "each", 12.5m, "active", null, DateTimeOffset.UtcNow);

    public static EventEnvelope Envelope<T>(T data, Guid organizationId) where T : notnull =>
        EventSchemaRegistry.Default.Create(data, "/giia/tests", organizationId, null, TimeProvider.System);

    public static async Task PublishAsync(INatsJSContext jetStream, string subject, byte[] body, string messageId, NatsHeaders? headers = null)
    {
        var ack = await jetStream.PublishAsync(subject, body, opts: new NatsJSPubOpts { MsgId = messageId }, headers: headers);
        ack.EnsureSuccess();
    }

    /// <summary>Every message now in <paramref name="stream"/> on <paramref name="subject"/> (an ordered, ephemeral read).</summary>
    public static async Task<IReadOnlyList<INatsJSMsg<byte[]>>> ReadAllAsync(INatsJSContext jetStream, string stream, string subject)
    {
        var info = await jetStream.GetStreamAsync(stream);
        var messages = new List<INatsJSMsg<byte[]>>();
        if (info.Info.State.Messages == 0)
        {
            return messages;
        }

        var consumer = await jetStream.CreateOrderedConsumerAsync(stream, new NatsJSOrderedConsumerOpts { FilterSubjects = [subject] });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var fetched = 0;
            await foreach (var message in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000 }, cancellationToken: timeout.Token))
            {
                // 2.9 servers ignore the ordered consumer's filter list: filter here as well.
                if (SubjectMatches(subject, message.Subject))
                {
                    messages.Add(message);
                }

                fetched++;
            }

            if (fetched == 0)
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>NATS subject matching with <c>*</c> (one token) and <c>&gt;</c> (the rest).</summary>
    public static bool SubjectMatches(string filter, string subject)
    {
        var f = filter.Split('.');
        var s = subject.Split('.');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == ">")
            {
                return s.Length > i;
            }

            if (i >= s.Length || (f[i] != "*" && f[i] != s[i]))
            {
                return false;
            }
        }

        return f.Length == s.Length;
    }

    public static string? Header(INatsJSMsg<byte[]> message, string name) => message.HeaderValue(name);

    public static EventEnvelope Parse(INatsJSMsg<byte[]> message) => EventEnvelope.Parse(message.Data ?? []);

    public static Guid? OrganizationOf(INatsJSMsg<byte[]> message)
    {
        try
        {
            return Parse(message).OrganizationId;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
