using System.IO.Compression;
using System.Text;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Tests.Readers;

public sealed class WebLogReaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "replay-weblog-" + Guid.NewGuid().ToString("N"));

    public WebLogReaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_CommonLogWithMalformedLines_SkipsAndCountsThem()
    {
        string path = Write("access.log", """
            in24.inetnebr.com - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/missions/sts-68/news/sts-68-mcc-05.txt HTTP/1.0" 200 1839
            uplherc.upl.com - - [01/Aug/1995:00:00:07 -0400] "GET / HTTP/1.0" 304 0
            this line is garbage
            host - - [01/Aug/1995:00:00:09 -0400] "GET /truncated HTTP/1.0
            host - - [32/Aug/1995:00:00:09 -0400] "GET /bad-date HTTP/1.0" 200 10
            ix-esc-ca2-07.ix.netcom.com - - [01/Aug/1995:00:00:09 -0400] "GET /ksc.html" 200 7280
            piweba4y.prodigy.com - - [01/Aug/1995:00:00:10 -0400] "GET /missing.gif HTTP/1.0" 404 -
            piweba4y.prodigy.com - - [01/Aug/1995:00:00:11 -0400] "POST /cgi-bin/form HTTP/1.0" 200 12
            proxy - - [01/Aug/1995:00:00:12 -0400] "HEAD /images/NASA-logosmall.gif HTTP/1.0" 302 -
            """);
        var counts = new WebLogCounts();
        List<TraceRequest> requests = [.. TraceReader.Read(path, TraceFormat.Auto, counts)];

        Assert.Equal(TraceFormat.Clf, TraceReader.Detect(path));
        Assert.Equal(["/shuttle/missions/sts-68/news/sts-68-mcc-05.txt", "/", "/ksc.html", "/images/NASA-logosmall.gif"], requests.Select(r => r.Key));
        Assert.Equal(807249601, requests[0].TimeSeconds);
        Assert.Equal([1839L, 0, 7280, 0], requests.Select(r => r.Size));
        Assert.All(requests, r => Assert.Equal(TraceOperation.Read, r.Operation));
        Assert.Equal(9, counts.Lines);
        Assert.Equal(4, counts.Kept);
        Assert.Equal(3, counts.Malformed);
        Assert.Equal(3, counts.FirstMalformedLine);
        Assert.Equal(1, counts.ErrorStatuses);
        Assert.Equal(1, counts.OtherMethods);
    }

    [Fact]
    public void Read_CombinedLogWithQuotesAndQuery_KeepsTheTargetWithItsQuery()
    {
        string path = Write("combined.log", """
            203.0.113.9 - alice [10/Oct/2024:13:55:36 +0200] "GET /search?q=a%20b HTTP/1.1" 200 2326 "https://example.com/" "Mozilla/5.0 (X11; \"quoted\")"
            203.0.113.9 - - [10/Oct/2024:13:55:37 +0200] "GET /page#top HTTP/2.0" 301 - "-" "curl/8.0"
            """);
        List<TraceRequest> requests = [.. TraceReader.Read(path, TraceFormat.Clf)];

        Assert.Equal(["/search?q=a%20b", "/page"], requests.Select(r => r.Key));
        Assert.Equal(new DateTimeOffset(2024, 10, 10, 11, 55, 36, TimeSpan.Zero).ToUnixTimeSeconds(), requests[0].TimeSeconds);
        Assert.Equal(2326, requests[0].Size);
    }

    [Fact]
    public void Read_NasaTsvWithMalformedRows_SkipsAndCountsThem()
    {
        string path = Write("nasa.tsv", "host\tlogname\ttime\tmethod\turl\tresponse\tbytes\n"
            + "in24.inetnebr.com\t-\t807249601\tGET\t/shuttle/missions/sts-68/news/sts-68-mcc-05.txt\t200\t1839\t\t\n"
            + "uplherc.upl.com\t-\t807249607\tGET\t/\t304\t0\t\t\n"
            + "short\trow\n"
            + "h\t-\tnot-a-time\tGET\t/x\t200\t1\t\t\n"
            + "h\t-\t807249610\tPOST\t/cgi-bin/form\t200\t5\t\t\n"
            + "h\t-\t807249611\tGET\t/missing\t404\t0\t\t\n"
            + "h\t-\t807249612\tGET\t/cgi-bin/imagemap/countdown?107,144\t302\t85\t\t\n");
        var counts = new WebLogCounts();
        List<TraceRequest> requests = [.. TraceReader.Read(path, TraceFormat.Auto, counts)];

        Assert.Equal(TraceFormat.NasaTsv, TraceReader.Detect(path));
        Assert.Equal(["/shuttle/missions/sts-68/news/sts-68-mcc-05.txt", "/", "/cgi-bin/imagemap/countdown?107,144"], requests.Select(r => r.Key));
        Assert.Equal([807249601d, 807249607, 807249612], requests.Select(r => r.TimeSeconds));
        Assert.Equal(7, counts.Lines);
        Assert.Equal(3, counts.Kept);
        Assert.Equal(2, counts.Malformed);
        Assert.Equal(4, counts.FirstMalformedLine);
    }

    [Fact]
    public void Read_SharedNasaTsvAndClf_AgreeOnTheirCommonRequests()
    {
        string tsv = TracePaths.Shared("web_nasa_aug95_day1_34k.tsv.gz");
        string clf = TracePaths.Shared("web_nasa_aug95_first20k.log.gz");
        Assert.Equal(TraceFormat.NasaTsv, TraceReader.Detect(tsv));
        Assert.Equal(TraceFormat.Clf, TraceReader.Detect(clf));
        var tsvCounts = new WebLogCounts();
        var clfCounts = new WebLogCounts();
        List<TraceRequest> fromTsv = [.. TraceReader.Read(tsv, TraceFormat.Auto, tsvCounts)];
        List<TraceRequest> fromClf = [.. TraceReader.Read(clf, TraceFormat.Auto, clfCounts)];

        // Shared traces README: 33,996 rows, 95 HEAD, 2 POST, 243 + 1 errors; the log's 20,000 lines are the first rows.
        Assert.Equal(33_996, tsvCounts.Lines);
        Assert.Equal(0, tsvCounts.Malformed);
        Assert.Equal(2, tsvCounts.OtherMethods);
        Assert.Equal(244, tsvCounts.ErrorStatuses);
        Assert.Equal(20_000, clfCounts.Lines);
        Assert.Equal(0, clfCounts.Malformed);
        Assert.Equal(188, clfCounts.ErrorStatuses);
        Assert.Equal(fromTsv.Take(fromClf.Count), fromClf);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name + ".gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"));
            gzip.Write(bytes);
        }

        return path;
    }
}
