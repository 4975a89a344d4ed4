using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Tests.Readers;

// Expected counts are the traces' own: their requests and distinct keys, counted once when the traces were added.
public class TraceReaderTests
{
    [Fact]
    public void Read_CloudPhysicsCsv_HasTheReadmeCounts()
    {
        string path = TracePaths.Shared("cloudphysics_io_2h.csv.gz");
        Assert.Equal(TraceFormat.CloudPhysics, TraceReader.Detect(path));
        long requests = 0, reads = 0, writes = 0;
        var keys = new HashSet<string>();
        double first = double.NaN, last = 0;
        foreach (TraceRequest request in TraceReader.Read(path))
        {
            requests++;
            reads += request.Operation == TraceOperation.Read ? 1 : 0;
            writes += request.Operation == TraceOperation.Write ? 1 : 0;
            keys.Add(request.Key);
            first = double.IsNaN(first) ? request.TimeSeconds : first;
            Assert.True(request.TimeSeconds >= last);
            last = request.TimeSeconds;
        }

        Assert.Equal(113_872, requests);
        Assert.Equal(46_974, reads);
        Assert.Equal(66_898, writes);
        Assert.Equal(48_974, keys.Count);
        Assert.Equal(5_633_898, first);
        Assert.Equal(5_641_098, last);
    }

    [Fact]
    public void Read_OracleGeneral_MatchesTheCsvKeyForKey()
    {
        string binary = TracePaths.Shared("cloudphysics_io_2h.oracleGeneral.bin.gz");
        Assert.Equal(TraceFormat.OracleGeneral, TraceReader.Detect(binary));
        using IEnumerator<TraceRequest> csv = TraceReader.Read(TracePaths.Shared("cloudphysics_io_2h.csv.gz")).GetEnumerator();
        long requests = 0;
        foreach (TraceRequest request in TraceReader.Read(binary))
        {
            Assert.True(csv.MoveNext());
            Assert.Equal(csv.Current.Key, request.Key);
            Assert.Equal(csv.Current.TimeSeconds, request.TimeSeconds);
            requests++;
        }

        Assert.False(csv.MoveNext());
        Assert.Equal(113_872, requests);
    }

    [Fact]
    public void Read_MetaCdn_HasTheReadmeCounts()
    {
        string path = TracePaths.Bundled("meta_cdn_bigcache_10k.csv.gz");
        Assert.Equal(TraceFormat.MetaCdn, TraceReader.Detect(path));
        List<TraceRequest> requests = [.. TraceReader.Read(path)];
        Assert.Equal(9_999, requests.Count);
        Assert.Equal(3_125, requests.Select(r => r.Key).Distinct().Count());
        Assert.Equal(259, requests.Select(r => r.TimeSeconds).Distinct().Count());
        Assert.All(requests, r => Assert.Equal(TraceOperation.Read, r.Operation));
        Assert.Equal(11, requests.Count(r => r.TtlSeconds == 0));
        Assert.Equal(1_209_600, requests[0].TtlSeconds);
    }

    [Fact]
    public void Read_BundledCdnTrace_IsTheSharedOneUnchanged()
    {
        string shared = TracePaths.Shared("meta_cdn_bigcache_10k.csv.gz");
        Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(TracePaths.Bundled("meta_cdn_bigcache_10k.csv.gz")));
    }

    [Theory]
    [InlineData("meta_kvcache_sample_1.csv", 691, 52)]
    [InlineData("meta_kvcache_sample_2.csv", 433, 62)]
    public void Read_MetaKv_ExpandsOpCount(string file, int expandedRequests, int keys)
    {
        string path = TracePaths.Shared(file);
        Assert.Equal(TraceFormat.MetaKv, TraceReader.Detect(path));
        List<TraceRequest> requests = [.. TraceReader.Read(path)];
        Assert.Equal(expandedRequests, requests.Count);
        Assert.Equal(keys, requests.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public void Read_MetaKv_LocatesColumnsByHeaderName()
    {
        string path = WriteTemp("op_time,key,key_size,op,op_count,size,cache_hits,usecase,sub_usecase,ttl\n10,k1,8,SET,2,100,0,1,1,60\n11,k1,8,GET_LEASE,1,100,1,1,1,0\n12,k1,8,DELETE,1,0,0,1,1,0\n");
        List<TraceRequest> requests = [.. TraceReader.Read(path, TraceFormat.MetaKv)];
        Assert.Equal(
            [
                new TraceRequest(10, "k1", 100, 60, TraceOperation.Write),
                new TraceRequest(10, "k1", 100, 60, TraceOperation.Write),
                new TraceRequest(11, "k1", 100, 0, TraceOperation.Read),
                new TraceRequest(12, "k1", 0, 0, TraceOperation.Delete),
            ],
            requests);
    }

    [Fact]
    public void Read_PlainCsv_OptionalColumnsAndHeader()
    {
        string path = WriteTemp("timestamp_seconds,key,value_size,ttl_seconds,op\n1.5,a,10\n2,b,20,30\n3,a,10,,write\n4,a,0,,delete\n");
        Assert.Equal(TraceFormat.Plain, TraceReader.Detect(path));
        Assert.Equal(
            [
                new TraceRequest(1.5, "a", 10, 0, TraceOperation.Read),
                new TraceRequest(2, "b", 20, 30, TraceOperation.Read),
                new TraceRequest(3, "a", 10, 0, TraceOperation.Write),
                new TraceRequest(4, "a", 0, 0, TraceOperation.Delete),
            ],
            TraceReader.Read(path).ToList());
    }

    [Fact]
    public void Read_OracleGeneral_TruncatedRecord_Throws()
    {
        string path = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.oracleGeneral.bin");
        File.WriteAllBytes(path, new byte[30]);
        FormatException error = Assert.Throws<FormatException>(() => TraceReader.Read(path).ToList());
        Assert.Contains("multiple of 24", error.Message, StringComparison.Ordinal);
    }

    private static string WriteTemp(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
