namespace WoningPas.Api.Infrastructure;

/// <summary>Stable RFC 9457 problem type URIs: clients branch on these, never on the title text.</summary>
public static class ProblemTypes
{
    private const string Base = "https://woningpas.vlaanderen.be/problems/";

    public const string Unauthenticated = Base + "unauthenticated";
    public const string Forbidden = Base + "forbidden";
    public const string NotFound = Base + "not-found";
    public const string CsrfHeaderMissing = Base + "csrf-header-missing";
    public const string Validation = Base + "validation";
    public const string Unexpected = Base + "unexpected";
    public const string TooLarge = Base + "too-large";
    public const string RateLimited = Base + "rate-limited";
    public const string StaleVersion = Base + "stale-version";
    public const string PreconditionRequired = Base + "precondition-required";
}
