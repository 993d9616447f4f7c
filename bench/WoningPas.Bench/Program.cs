using WoningPas.Bench;

// Benchmarks are not tests: they measure, print and write JSON; they never fail on a time.
return args.FirstOrDefault() switch
{
    "data" => await DataBenchmark.RunAsync(args[1..]),
    "cache" => await CacheBenchmark.RunAsync(args[1..]),
    "ops" => await OpsBenchmark.RunAsync(args[1..]),
    "encryption" => await EncryptionBenchmark.RunAsync(args[1..]),
    "edge" => await EdgeBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ./build.sh bench data [--dwellings N] [--seconds S] [--clients C]");
    Console.Error.WriteLine("       ./build.sh bench cache [--dwellings N] [--seconds S] [--clients C] [--rounds R]");
    Console.Error.WriteLine("       ./build.sh bench ops [--dwellings N] [--access-log N]");
    Console.Error.WriteLine("       ./build.sh bench encryption [--people N] [--dwellings N]");
    Console.Error.WriteLine("       ./build.sh bench edge [--page-views N] [--connections C] [--threads T] [--rounds R] [--round-requests N]");
    return 2;
}
