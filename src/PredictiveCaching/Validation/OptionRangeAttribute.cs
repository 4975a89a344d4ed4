using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PredictiveCaching.Validation;

/// <summary>
/// The valid range of a numeric option: a <see cref="RangeAttribute"/> (so the bounds are read like any other) whose
/// failure names the option's configuration path, the range and the bad value, e.g.
/// <c>PredictiveLoading:Tracking:MaxTrackedKeys must be in [16, 100000000]; was 3</c>.
/// </summary>
/// <remarks>
/// The comparison is its own, on <see cref="double"/> bounds (exact for every bound used, all below 2^53 or
/// <see cref="long.MaxValue"/>), so no type converter is involved (trimming and AOT). A maximum of
/// <see cref="long.MaxValue"/> means "no upper bound" and reads "must be at least …".
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class OptionRangeAttribute : RangeAttribute
{
    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for an integer range.</summary>
    /// <param name="minimum">The smallest valid value.</param>
    /// <param name="maximum">The largest valid value.</param>
    public OptionRangeAttribute(int minimum, int maximum)
        : base((double)minimum, maximum)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for a 64-bit integer range.</summary>
    /// <param name="minimum">The smallest valid value.</param>
    /// <param name="maximum">The largest valid value; <see cref="long.MaxValue"/> for no upper bound.</param>
    public OptionRangeAttribute(long minimum, long maximum)
        : base((double)minimum, maximum)
    {
        Unbounded = maximum == long.MaxValue;
    }

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for a real range.</summary>
    /// <param name="minimum">The smallest valid value (excluded when <see cref="RangeAttribute.MinimumIsExclusive"/>).</param>
    /// <param name="maximum">The largest valid value.</param>
    public OptionRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Gets a value indicating whether the range has no upper bound.</summary>
    public bool Unbounded { get; }

    /// <summary>Gets the rule as a failure message states it, e.g. <c>must be in (0, 1]</c>.</summary>
    public string Rule => Unbounded
        ? "must be at least " + Format(Minimum)
        : string.Create(CultureInfo.InvariantCulture, $"must be in {(MinimumIsExclusive ? '(' : '[')}{Format(Minimum)}, {Format(Maximum)}{(MaximumIsExclusive ? ')' : ']')}");

    /// <inheritdoc />
    public override bool IsValid(object? value)
    {
        if (value is null)
        {
            return true;
        }

        double number = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            _ => double.NaN,
        };
        double min = (double)Minimum;
        double max = (double)Maximum;
        return (MinimumIsExclusive ? number > min : number >= min)
            && (Unbounded || (MaximumIsExclusive ? number < max : number <= max));
    }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : OptionPath.Failure(validationContext, Rule, value);

    private static string Format(object bound) => ((double)bound).ToString(CultureInfo.InvariantCulture);
}
