using WoningPas.Bench;

// Benchmarks are not tests: they measure, print and write JSON; they never fail on a time.
return args.FirstOrDefault() switch
{
    "data" => await DataBenchmark.RunAsync(args[1..]),
    "encryption" => await EncryptionBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ./build.sh bench data [--dwellings N] [--seconds S] [--clients C]");
    Console.Error.WriteLine("       ./build.sh bench encryption [--people N] [--dwellings N]");
    return 2;
}
