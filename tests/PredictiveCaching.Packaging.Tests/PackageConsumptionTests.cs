using System.IO.Compression;

namespace PredictiveCaching.Packaging.Tests;

/// <summary>
/// Packs the library, then builds and runs a brand-new console project that references the package from a local
/// folder — as a user would — outside this repository, so none of its build settings leak in.
/// </summary>
public sealed class PackageConsumptionTests : IDisposable
{
    private const string Version = "0.1.0-preview";
    private static readonly string[] Packages = ["PredictiveCaching", "PredictiveCaching.Redis"];
    private readonly string _work = Directory.CreateTempSubdirectory("predictive-caching-pack-").FullName;

    [Fact]
    public async Task Pack_ThenFreshConsoleProject_CallsAddPredictiveLoading()
    {
        string root = RepositoryRoot();
        string feed = Path.Combine(_work, "feed");
        foreach (string id in Packages)
        {
            await DotNetCli.RunAsync(root, "pack", $"src/{id}/{id}.csproj", "-c", "Release", "-o", feed);
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{Version}.snupkg")), $"symbols package of {id}");
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{Version}.nupkg"));
            string[] entries = [.. zip.Entries.Select(e => e.FullName)];
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains("CHANGELOG.md", entries);
            Assert.Contains("icon.png", entries);
            using (var nuspec = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open()))
            {
                string manifest = await nuspec.ReadToEndAsync();
                Assert.Contains("<icon>icon.png</icon>", manifest, StringComparison.Ordinal);
                Assert.Contains("<releaseNotes>", manifest, StringComparison.Ordinal);
                Assert.Contains("<repository type=\"git\"", manifest, StringComparison.Ordinal);
            }

            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);
        }

        string app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <!-- A packages folder of its own: the machine-wide one may hold an older build of the same version. -->
                <add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" />
              </config>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PredictiveCaching" Version="{Version}" />
                <PackageReference Include="PredictiveCaching.Redis" Version="{Version}" />
                <PackageReference Include="Microsoft.Extensions.Caching.Memory" Version="10.0.0" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Microsoft.Extensions.Caching.Distributed;
            using Microsoft.Extensions.DependencyInjection;

            var services = new ServiceCollection();
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading()
                .AddSource("product:", (key, ct) => Task.FromResult<byte[]?>(new byte[] { 1, 2, 3 }))
                .UseRedisCoordination("127.0.0.1:1"); // connects lazily, and never blocks start-up or the cache

            using ServiceProvider provider = services.BuildServiceProvider();
            IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
            cache.SetString("product:1", "hello");
            Console.WriteLine($"{cache.GetType().Name}: {cache.GetString("product:1")}");
            """);

        string output = await DotNetCli.RunAsync(app, "run", "-c", "Release");

        Assert.Contains("PredictiveDistributedCache: hello", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PredictiveCaching.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PredictiveCaching.sln not found above " + AppContext.BaseDirectory);
    }
}
