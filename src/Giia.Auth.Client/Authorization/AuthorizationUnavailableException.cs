namespace Giia.Auth.Client;

/// <summary>Auth could not answer in time: the caller must refuse the operation (fail closed), never allow it.</summary>
public sealed class AuthorizationUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
