namespace WoningPas.Domain;

/// <summary>The days a certificate or a share is valid, both ends included.</summary>
public readonly record struct ValidityPeriod(DateOnly From, DateOnly Until)
{
    // Get-only rather than the generated init accessors, so that a with-expression cannot skip the check below.
    public DateOnly From { get; } = From;

    public DateOnly Until { get; } = Until >= From
        ? Until
        : throw new ArgumentException("A validity period cannot end before it starts.", nameof(Until));

    public bool Contains(DateOnly day) => From <= day && day <= Until;
}
