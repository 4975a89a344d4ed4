using System.ComponentModel.DataAnnotations;

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
}
