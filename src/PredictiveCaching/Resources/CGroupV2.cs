namespace PredictiveCaching.Resources;

/// <summary>Finds the process's cgroup v2 directory and its ancestors under <c>/sys/fs/cgroup</c>.</summary>
internal static class CGroupV2
{
    private const string Mount = "sys/fs/cgroup";

    /// <summary>
    /// Returns the cgroup directories (relative to the root) from the process's own cgroup up to the mount point,
    /// or an empty array when the process is not in a unified (v2) hierarchy.
    /// </summary>
    /// <remarks>
    /// Inside a container with a cgroup namespace the process sees itself at <c>/</c> and the container's own limits
    /// are in the mount point itself; on a host the limit may sit on any ancestor (a systemd slice), hence the chain.
    /// </remarks>
    public static string[] Hierarchy(SystemFiles files)
    {
        if (!files.Exists(Mount + "/cgroup.controllers"))
        {
            return [];
        }

        string? membership = files.ReadText("proc/self/cgroup");
        if (membership is null)
        {
            return [];
        }

        string? path = null;
        foreach (string line in membership.Split('\n'))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                path = line[3..].Trim();
                break;
            }
        }

        if (path is null)
        {
            return [];
        }

        var chain = new List<string>();
        string current = path.Trim('/');
        while (true)
        {
            string directory = current.Length == 0 ? Mount : Mount + "/" + current;
            if (files.DirectoryExists(directory))
            {
                chain.Add(directory);
            }

            if (current.Length == 0)
            {
                break;
            }

            int slash = current.LastIndexOf('/');
            current = slash < 0 ? string.Empty : current[..slash];
        }

        return [.. chain];
    }
}
