using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Auth.Outcomes;

/// <summary>The HTTP answers to refusals: the endpoints' translation, in one place.</summary>
public static class RefusalResults
{
    /// <summary>The problem+json answer: the kind's status, with the refusal's title and detail.</summary>
    public static ProblemHttpResult Problem(this Refusal refusal) =>
        TypedResults.Problem(statusCode: StatusOf(refusal.Kind), title: refusal.Title, detail: refusal.Detail);

    /// <summary>The 400 validation problem naming the refusal's fields.</summary>
    public static ValidationProblem ValidationProblem(this Refusal refusal) =>
        TypedResults.ValidationProblem(refusal.Errors ?? new Dictionary<string, string[]>());

    /// <summary>A refusal as one of an endpoint's answers: a validation problem when it names fields, else a problem.</summary>
    public static Results<TResult, ValidationProblem, ProblemHttpResult> Answer<TResult>(this Refusal refusal) where TResult : IResult =>
        refusal.Errors is null ? refusal.Problem() : refusal.ValidationProblem();

    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.Unauthorized => StatusCodes.Status401Unauthorized,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Locked => StatusCodes.Status429TooManyRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a refusal kind without a status"),
    };
}
