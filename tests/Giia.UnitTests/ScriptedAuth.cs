using Giia.Auth.Client;
using Giia.Auth.Client.Invalidation;
using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>Holds every CheckPermission call until the test answers or fails the pending ones.</summary>
internal sealed class ScriptedAuth : CallInvoker
{
    private readonly Lock gate = new();
    private readonly List<TaskCompletionSource<CheckPermissionResponse>> pending = [];
    private readonly List<string> authorizations = [];

    public int Calls { get { lock (gate) { return authorizations.Count; } } }

    public IReadOnlyList<string> Authorizations { get { lock (gate) { return [.. authorizations]; } } }

    public PermissionClient Client(DecisionStamps? stamps = null, TimeProvider? time = null) => new(
        new AuthService.AuthServiceClient(this),
        new MemoryCache(new MemoryCacheOptions()),
        stamps ?? new DecisionStamps(time ?? TimeProvider.System),
        time ?? TimeProvider.System,
        Options.Create(new AuthClientOptions()));

    public void Answer(CheckPermissionResponse response) => Settle(call => call.TrySetResult(response));

    public void Fail(Exception failure) => Settle(call => call.TrySetException(failure));

    private void Settle(Action<TaskCompletionSource<CheckPermissionResponse>> settle)
    {
        List<TaskCompletionSource<CheckPermissionResponse>> calls;
        lock (gate)
        {
            calls = [.. pending];
            pending.Clear();
        }

        calls.ForEach(settle);
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new TaskCompletionSource<CheckPermissionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            authorizations.Add(options.Headers?.GetValue("authorization") ?? "");
            pending.Add(call);
        }

        options.CancellationToken.Register(() => call.TrySetCanceled(options.CancellationToken));

        return new AsyncUnaryCall<TResponse>(
            AnswerAs<TResponse>(call.Task),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });
    }

    private static async Task<TResponse> AnswerAs<TResponse>(Task<CheckPermissionResponse> answer) => (TResponse)(object)await answer;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
}
