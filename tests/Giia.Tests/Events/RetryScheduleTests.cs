extern alias dlqservice;

using dlqservice::Giia.DlqWorker.Retry;

namespace Giia.Tests.Events;

/// <summary>The DLQ worker's retry schedule: each retry waits twice as long as the one before.</summary>
public sealed class RetryScheduleTests
{
    [Fact]
    public void Default_schedule_is_one_two_four_seconds()
    {
        var options = new DlqOptions();

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)],
            Enumerable.Range(1, options.MaxRetries).Select(options.DelayBeforeRetry));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(250)]
    public void Each_retry_waits_twice_as_long_as_the_one_before(int firstDelayMilliseconds)
    {
        var options = new DlqOptions { RetryDelay = TimeSpan.FromMilliseconds(firstDelayMilliseconds), MaxRetries = 10 };

        Assert.Equal(options.RetryDelay, options.DelayBeforeRetry(1));
        for (var retry = 2; retry <= options.MaxRetries; retry++)
        {
            Assert.Equal(options.DelayBeforeRetry(retry - 1) * 2, options.DelayBeforeRetry(retry));
        }
    }
}
