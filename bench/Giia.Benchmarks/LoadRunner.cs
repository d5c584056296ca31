using System.Diagnostics;

namespace Giia.Benchmarks;

/// <summary>Drives an async call with concurrent callers and records each call's latency.</summary>
public static class LoadRunner
{
    public sealed record Result(LatencyReport Latency, double Throughput, long Errors);

    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> callers each issue the next call as soon as the last returns, for
    /// <paramref name="duration"/> or until <paramref name="call"/> says there is nothing left (returns false).
    /// </summary>
    public static async Task<Result> ClosedLoopAsync(string name, int concurrency, TimeSpan duration, Func<long, Task<bool>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} running {name}...");
        var latency = new LatencyReport(name);
        long next = 0;
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (!await call(Interlocked.Increment(ref next)))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or Npgsql.NpgsqlException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                latency.Record(Stopwatch.GetElapsedTime(started));
            }
        }));
        await Task.WhenAll(callers);
        clock.Stop();
        return new Result(latency, latency.Count / clock.Elapsed.TotalSeconds, errors);
    }

    /// <summary>
    /// Open loop at a fixed rate: calls start on schedule whether or not earlier ones returned, and each latency is
    /// timed from its scheduled start, so a stall shows in the percentiles rather than hiding (no coordinated omission).
    /// </summary>
    public static async Task<Result> FixedRateAsync(string name, double ratePerSecond, TimeSpan duration, Func<long, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var latency = new LatencyReport(name);
        long errors = 0;
        var interval = TimeSpan.FromSeconds(1 / ratePerSecond);
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            var scheduled = interval * i;
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var sequence = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    await call(sequence);
                    latency.Record(clock.Elapsed - scheduled);
                }
                catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        return new Result(latency, latency.Count / clock.Elapsed.TotalSeconds, errors);
    }
}
