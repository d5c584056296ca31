using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore.Storage;

using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Giia.Data;

/// <summary>
/// Npgsql's retrying strategy (transient errors only), with one more rule: no retry starts that would end past the
/// request budget. EF creates a strategy per operation, so the budget is per database operation.
/// </summary>
internal sealed class BudgetedExecutionStrategy(ExecutionStrategyDependencies dependencies, DatabaseOptions options, TimeProvider time)
    : NpgsqlRetryingExecutionStrategy(dependencies, options.MaxRetries, options.MaxRetryDelay, errorCodesToAdd: null)
{
    private long startedAt;

    protected override void OnFirstExecution()
    {
        base.OnFirstExecution();
        startedAt = time.GetTimestamp();
    }

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var delay = base.GetNextDelay(lastException);
        return delay is { } next && time.GetElapsedTime(startedAt) + next <= options.RequestBudget ? next : null;
    }
}
