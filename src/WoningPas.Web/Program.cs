using WoningPas.Web;

await WebApp.Build(new WebApplicationOptions { Args = args }).RunAsync();
