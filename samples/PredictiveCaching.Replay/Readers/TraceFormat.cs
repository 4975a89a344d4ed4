namespace PredictiveCaching.Replay.Readers;

/// <summary>The trace formats the replayer reads (the README of the shared traces folder describes each).</summary>
public enum TraceFormat
{
    /// <summary>Detect from the file name, then from the header row.</summary>
    Auto,

    /// <summary>CloudPhysics block I/O CSV: <c>version,time,op,size,lbn</c> (op 28 = read, 2a = write).</summary>
    CloudPhysics,

    /// <summary>libCacheSim oracleGeneral: packed 24-byte little-endian records, no header.</summary>
    OracleGeneral,

    /// <summary>Meta CDN (CacheLib bigcache) CSV: <c>timestamp,cacheKey,OpType,objectSize,…,TTL,SamplingRate</c>.</summary>
    MetaCdn,

    /// <summary>Meta key-value cache CSV, columns located by header name, rows expanded <c>op_count</c> times.</summary>
    MetaKv,

    /// <summary>Plain CSV <c>timestamp_seconds,key,value_size[,ttl_seconds][,op]</c>, with or without a header.</summary>
    Plain,

    /// <summary>The NASA 1995 HTTP log's TSV conversion: <c>host logname time method url response bytes</c>, Unix seconds.</summary>
    NasaTsv,

    /// <summary>A web server access log in Common Log Format or the combined format (Apache, nginx).</summary>
    Clf,
}
