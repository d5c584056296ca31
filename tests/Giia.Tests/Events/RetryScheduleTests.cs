extern alias dlqservice;

using System.ComponentModel.DataAnnotations;

using dlqservice::Giia.DlqWorker.Retry;

namespace Giia.Tests.Events;

/// <summary>The DLQ worker's schedule for reports that carry none, and the bounds start-up validation puts on it.</summary>
public sealed class RetryScheduleTests
{
    [Fact]
    public void Default_schedule_waits_about_an_hour_in_total()
    {
        var options = new DlqOptions();

        Assert.Equal(
            [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20)],
            options.EffectiveRetrySchedule);
        Assert.Equal(TimeSpan.FromMinutes(61), options.EffectiveRetrySchedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait));
    }

    [Fact]
    public void A_configured_schedule_replaces_the_default()
    {
        var options = new DlqOptions { RetrySchedule = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)] };

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], options.EffectiveRetrySchedule);
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(86_401)]
    public void A_wait_outside_ten_milliseconds_to_a_day_is_refused(double seconds)
    {
        var options = new DlqOptions { RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds)] };

        Assert.Contains(Validate(options), r => r.MemberNames.Contains(nameof(DlqOptions.RetrySchedule)));
    }

    [Fact]
    public void More_than_twenty_waits_are_refused()
    {
        var options = new DlqOptions { RetrySchedule = Enumerable.Repeat(TimeSpan.FromSeconds(1), 21).ToArray() };

        Assert.Contains(Validate(options), r => r.MemberNames.Contains(nameof(DlqOptions.RetrySchedule)));
    }

    private static List<ValidationResult> Validate(DlqOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
