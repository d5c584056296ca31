namespace Giia.Tests.Infrastructure;

/// <summary>Polls a condition that the system reaches asynchronously, failing with the last observation when time runs out.</summary>
public static class Eventually
{
    public static Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what) =>
        UntilAsync(observe, done, timeout, () => what);

    /// <param name="describe">Says what was awaited, read only when time runs out (so it can include the latest state).</param>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, Func<string> describe)
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
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {describe()}; last seen: {last}");
            }

            await Task.Delay(250);
        }
    }
}
