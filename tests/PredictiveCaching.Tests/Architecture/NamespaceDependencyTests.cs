using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PredictiveCaching.Tests.Architecture;

/// <summary>
/// The core assembly's namespaces depend on each other without cycles, and the loop's stages only on the stages before
/// them. Read from the compiled IL (signatures, locals, every type, method and field an instruction names), so a
/// dependency cannot hide in a method body or behind an implicit parent-namespace lookup.
/// </summary>
public sealed class NamespaceDependencyTests
{
    // The root namespace holds PredictiveLoadingOptions, the aggregate every part reads its own section from, and the
    // public entry points: it is the composition root, like DependencyInjection, and is left out of the graph.
    private const string Root = "PredictiveCaching";

    private static readonly string[] StagesInFlowOrder =
    [
        "PredictiveCaching.Loop.Candidates",
        "PredictiveCaching.Loop.Scoring",
        "PredictiveCaching.Loop.Admission",
        "PredictiveCaching.Loop.Execution",
    ];

    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Graph = new(Build);

    [Fact]
    public void Namespaces_HaveNoCycles()
    {
        List<List<string>> cycles = StronglyConnected(Graph.Value).Where(c => c.Count > 1).ToList();

        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + string.Join("\n", cycles.Select(Describe)));
    }

    [Fact]
    public void LoopStages_DependOnlyOnEarlierStages()
    {
        var violations = new List<string>();
        for (int i = 0; i < StagesInFlowOrder.Length; i++)
        {
            Dictionary<string, string> uses = Graph.Value.GetValueOrDefault(StagesInFlowOrder[i]) ?? [];
            foreach (string later in StagesInFlowOrder.Skip(i + 1).Append("PredictiveCaching.Loop"))
            {
                if (uses.TryGetValue(later, out string? example))
                {
                    violations.Add($"{StagesInFlowOrder[i]} -> {later} ({example})");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Graph_SeesDependenciesInMethodBodies()
    {
        // The cycle calls every stage only from method bodies and fields: if the reader missed them, the tests above
        // would pass on an empty graph.
        Dictionary<string, string> loop = Graph.Value["PredictiveCaching.Loop"];
        Assert.All(StagesInFlowOrder, stage => Assert.Contains(stage, loop.Keys));
        Assert.Contains("PredictiveCaching.Diagnostics", loop.Keys);
    }

    private static string Describe(List<string> cycle)
    {
        var edges = new List<string>();
        foreach (string from in cycle)
        {
            foreach (string to in cycle)
            {
                if (Graph.Value[from].TryGetValue(to, out string? example))
                {
                    edges.Add($"  {from} -> {to}: {example}");
                }
            }
        }

        return string.Join(" <-> ", cycle) + "\n" + string.Join("\n", edges);
    }

    private static Dictionary<string, Dictionary<string, string>> Build()
    {
        string path = typeof(PredictiveLoadingOptions).Assembly.Location;
        using ModuleDefinition module = ModuleDefinition.ReadModule(path);
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (TypeDefinition type in module.GetTypes())
        {
            string from = NamespaceOf(type);
            if (!IsPart(from))
            {
                continue;
            }

            if (!graph.TryGetValue(from, out Dictionary<string, string>? edges))
            {
                graph[from] = edges = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            foreach (TypeReference used in References(type))
            {
                string to = NamespaceOf(used);
                if (to != from && IsPart(to) && used.Scope is ModuleDefinition)
                {
                    edges.TryAdd(to, $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        return graph;
    }

    private static bool IsPart(string ns) => ns.StartsWith(Root + ".", StringComparison.Ordinal);

    // Nested and compiler-generated types (closures, state machines) belong to the namespace of their outermost type.
    private static string NamespaceOf(TypeReference type)
    {
        TypeReference element = type.GetElementType();
        while (element.DeclaringType is not null)
        {
            element = element.DeclaringType;
        }

        return element.Namespace;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        Add(found, type.BaseType);
        foreach (InterfaceImplementation implemented in type.Interfaces)
        {
            Add(found, implemented.InterfaceType);
        }

        foreach (FieldDefinition field in type.Fields)
        {
            Add(found, field.FieldType);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Add(found, property.PropertyType);
        }

        foreach (MethodDefinition method in type.Methods)
        {
            Add(found, method.ReturnType);
            foreach (ParameterDefinition parameter in method.Parameters)
            {
                Add(found, parameter.ParameterType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (VariableDefinition variable in method.Body.Variables)
            {
                Add(found, variable.VariableType);
            }

            foreach (Instruction instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operand:
                        Add(found, operand);
                        break;
                    case MethodReference called:
                        Add(found, called.DeclaringType);
                        Add(found, called.ReturnType);
                        foreach (ParameterDefinition parameter in called.Parameters)
                        {
                            Add(found, parameter.ParameterType);
                        }

                        if (called is GenericInstanceMethod generic)
                        {
                            foreach (TypeReference argument in generic.GenericArguments)
                            {
                                Add(found, argument);
                            }
                        }

                        break;
                    case FieldReference accessed:
                        Add(found, accessed.DeclaringType);
                        Add(found, accessed.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    private static void Add(List<TypeReference> found, TypeReference? type)
    {
        if (type is null || type is GenericParameter)
        {
            return;
        }

        if (type is GenericInstanceType generic)
        {
            foreach (TypeReference argument in generic.GenericArguments)
            {
                Add(found, argument);
            }
        }

        if (type is TypeSpecification specification)
        {
            Add(found, specification.ElementType);
            return;
        }

        found.Add(type);
    }

    // Tarjan's algorithm: each strongly connected component with more than one namespace is a cycle.
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        int next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (string to in graph.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(to, out int seen))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (string node in graph.Keys.ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }
}
