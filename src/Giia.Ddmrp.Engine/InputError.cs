namespace Giia.Ddmrp.Engine;

/// <summary>Why an input cannot be calculated with: the field (camelCase, as callers name it) and what is wrong.</summary>
public sealed record InputError(string Field, string Message);
