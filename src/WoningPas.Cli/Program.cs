using System.Globalization;
using WoningPas.Cli;

// woningpas: the operator's tool. Runs against ConnectionStrings__WoningPas when set, otherwise against the local
// run's private PostgreSQL under .data/pg (started for the command when it is not running).
return await CliApp.RunAsync(args, Console.Out, Console.Error, CultureInfo.InvariantCulture);
