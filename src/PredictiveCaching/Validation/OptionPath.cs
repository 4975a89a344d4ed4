using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PredictiveCaching.Validation;

/// <summary>The configuration path of the option being validated, for failure messages.</summary>
internal static class OptionPath
{
    /// <summary>
    /// Returns the path of the member in <paramref name="context"/>: the generated validators name a member
    /// <c>PredictiveLoading.Tracking.MaxTrackedKeys</c> when validation starts with the section name, and configuration
    /// spells it <c>PredictiveLoading:Tracking:MaxTrackedKeys</c>.
    /// </summary>
    /// <param name="context">The context of the member being validated.</param>
    /// <returns>The member's configuration path.</returns>
    public static string Of(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.DisplayName ?? context.MemberName ?? string.Empty).Replace('.', ':');
    }

    /// <summary>The failure of a range attribute: the option's path, its rule and the bad value.</summary>
    /// <param name="context">The context of the member being validated.</param>
    /// <param name="rule">The rule as the message states it, e.g. <c>must be in [16, 100000000]</c>.</param>
    /// <param name="value">The value that broke it.</param>
    /// <returns>The result, with no member names: the options builder would put them before the message, which names the path already.</returns>
    public static ValidationResult Failure(ValidationContext context, string rule, object? value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{Of(context)} {rule}; was {value}"));
}
