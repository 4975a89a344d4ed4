using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PredictiveCaching.Validation;

/// <summary>
/// The valid range of a <see cref="TimeSpan"/> option, both ends included, given in the invariant <c>c</c> format
/// (<c>"00:00:01"</c>, <c>"1.00:00:00"</c>); a failure names the option's configuration path, the range and the bad
/// value, e.g. <c>PredictiveLoading:Tracking:SuccessorGap must be in [00:00:00.0010000, 00:10:00]; was 00:00:00</c>.
/// </summary>
/// <remarks>
/// Like ResourceMonitoring's <c>[TimeSpan]</c> attribute, and unlike <c>[Range(typeof(TimeSpan), …)]</c>, it parses
/// without a type converter, so it is safe under trimming and AOT.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class DurationRangeAttribute : ValidationAttribute
{
    /// <summary>Initializes a new instance of the <see cref="DurationRangeAttribute"/> class.</summary>
    /// <param name="minimum">The shortest valid duration, in the <c>c</c> format.</param>
    /// <param name="maximum">The longest valid duration, in the <c>c</c> format.</param>
    public DurationRangeAttribute(string minimum, string maximum)
    {
        Minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
        Maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the shortest valid duration.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>Gets the longest valid duration.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>Gets the rule as a failure message states it.</summary>
    public string Rule => string.Create(CultureInfo.InvariantCulture, $"must be in [{Minimum:c}, {Maximum:c}]");

    /// <inheritdoc />
    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : OptionPath.Failure(validationContext, Rule, value);
}
