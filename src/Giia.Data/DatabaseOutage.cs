using Microsoft.EntityFrameworkCore.Storage;

using Npgsql;

namespace Giia.Data;

/// <summary>What every service answers when its database is away: 503 with Retry-After (REST), UNAVAILABLE (gRPC).</summary>
public static class DatabaseOutage
{
    public const string Title = "Database unavailable";
    public const string Detail = "The service cannot reach its database right now; retry shortly.";

    /// <summary>True for failures that mean "the database is not reachable", not "the request was wrong".</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RetryLimitExceededException or NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
