using System.Text.RegularExpressions;

namespace WoningPas.Deploy.Tests;

/// <summary>
/// deploy/terraform must mirror the local edge: the Api's paths to the on-premise origin, uncached, with the viewer's
/// cookies; everything else to Web, cached by path, with no cookie at all.
/// </summary>
public sealed partial class CloudFrontTests
{
    // The local edge's list (src/WoningPas.DevHost/Edge/EdgeApp.cs ApiPaths).
    private static readonly string[] ApiPaths = ["/api", "/account", "/staff", "/healthz"];

    private static readonly string Terraform = string.Join("\n",
        Directory.GetFiles(Path.Combine(Manifests.RepositoryRoot, "deploy", "terraform"), "*.tf").Order().Select(File.ReadAllText));

    [Fact]
    public void The_default_behaviour_goes_to_web_cached_by_path_without_cookies()
    {
        var behaviour = Block(Terraform, "default_cache_behavior");
        var cachePolicy = Block(Terraform, "resource \"aws_cloudfront_cache_policy\" \"web_by_path\"");
        var originPolicy = Block(Terraform, "resource \"aws_cloudfront_origin_request_policy\" \"web_nothing\"");

        Assert.Equal("local.web_origin_id", Value(behaviour, "target_origin_id"));
        Assert.Equal("aws_cloudfront_cache_policy.web_by_path.id", Value(behaviour, "cache_policy_id"));
        Assert.Equal("aws_cloudfront_origin_request_policy.web_nothing.id", Value(behaviour, "origin_request_policy_id"));
        Assert.Equal("\"none\"", Value(Block(cachePolicy, "cookies_config"), "cookie_behavior"));
        Assert.Equal("\"none\"", Value(Block(cachePolicy, "query_strings_config"), "query_string_behavior"));
        Assert.Equal("\"none\"", Value(Block(cachePolicy, "headers_config"), "header_behavior"));
        Assert.Equal("\"none\"", Value(Block(originPolicy, "cookies_config"), "cookie_behavior"));
    }

    [Fact]
    public void Every_path_the_edge_sends_to_the_api_goes_to_the_on_premise_origin_uncached()
    {
        var apiPaths = ListLocal("api_paths");
        var behaviour = DynamicBehaviourFor("local.api_paths");

        Assert.Equal(ApiPaths.Select(p => p + "/*"), apiPaths);
        Assert.Equal("local.api_origin_id", Value(behaviour, "target_origin_id"));
        Assert.Equal("data.aws_cloudfront_cache_policy.caching_disabled.id", Value(behaviour, "cache_policy_id"));
        Assert.Contains("Managed-CachingDisabled", Block(Terraform, "data \"aws_cloudfront_cache_policy\" \"caching_disabled\""), StringComparison.Ordinal);
        Assert.Contains("\"POST\"", Value(behaviour, "allowed_methods"), StringComparison.Ordinal);
        Assert.Equal("\"https-only\"", Value(Block(OriginBlock("local.api_origin_id"), "custom_origin_config"), "origin_protocol_policy"));
    }

    [Fact]
    public void Metrics_and_static_assets_never_reach_the_api()
    {
        var routedToApi = ListLocal("api_paths");
        var staticBehaviour = DynamicBehaviourFor("local.static_paths");

        Assert.DoesNotContain(routedToApi, p => p.StartsWith("/metrics", StringComparison.Ordinal) || p == "/*");
        Assert.Equal("local.web_origin_id", Value(staticBehaviour, "target_origin_id"));
        Assert.Equal("aws_cloudfront_origin_request_policy.web_nothing.id", Value(staticBehaviour, "origin_request_policy_id"));
    }

    private static string DynamicBehaviourFor(string forEach)
    {
        var match = Blocks(Terraform, "dynamic \"ordered_cache_behavior\"")
            .SingleOrDefault(b => Value(b, "for_each") == forEach)
            ?? throw new Xunit.Sdk.XunitException($"No ordered_cache_behavior for {forEach}.");
        return Block(match, "content");
    }

    private static string OriginBlock(string originId) =>
        Blocks(Terraform, "origin").SingleOrDefault(b => Value(b, "origin_id") == originId)
        ?? throw new Xunit.Sdk.XunitException($"No origin {originId}.");

    private static List<string> ListLocal(string name)
    {
        var value = Value(Block(Terraform, "locals"), name);
        return [.. QuotedRegex().Matches(value).Select(m => m.Groups[1].Value)];
    }

    private static string Block(string text, string header) =>
        Blocks(text, header).FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"No block '{header}'.");

    /// <summary>The bodies of the blocks that open with <paramref name="header"/> at the start of a line.</summary>
    private static IEnumerable<string> Blocks(string text, string header)
    {
        foreach (Match match in Regex.Matches(text, @"(?m)^\s*" + Regex.Escape(header) + @"\s*\{"))
        {
            var depth = 0;
            for (var i = match.Index + match.Length - 1; i < text.Length; i++)
            {
                depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    yield return text[(match.Index + match.Length)..i];
                    break;
                }
            }
        }
    }

    /// <summary>A top-level attribute of a block body (nested blocks skipped).</summary>
    private static string Value(string body, string attribute)
    {
        var depth = 0;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.Trim();
            if (depth == 0 && Regex.Match(trimmed, @"^" + Regex.Escape(attribute) + @"\s*=\s*(.+)$") is { Success: true } m)
            {
                return m.Groups[1].Value.Trim();
            }

            depth += trimmed.Count(c => c is '{' or '[') - trimmed.Count(c => c is '}' or ']');
        }

        throw new Xunit.Sdk.XunitException($"No attribute {attribute} in block.");
    }

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedRegex();
}
