namespace Giia.Tests.Infrastructure;

/// <summary>Polls a condition that the system reaches asynchronously, failing with the last observation when time runs out.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await observe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last seen: {last}");
            }

            await Task.Delay(250);
        }
    }
}
