using WoningPas.Api.Documents;

namespace WoningPas.Api.Tests.Documents.PdfCorpus;

/// <summary>
/// The corpus: every hostile PDF is refused for its active content, every clean one from a real producer (or built
/// with the same filters and syntax as the hostile ones) is accepted. Each case is one named test.
/// </summary>
public sealed class PdfCorpusTests
{
    public static TheoryData<string> Hostile => new(HostilePdfs.All.Keys);

    public static TheoryData<string> Clean => new(CleanPdfs.All.Keys);

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_pdf_is_refused_for_its_active_content(string name)
    {
        var inspection = await PdfInspector.InspectAsync(HostilePdfs.All[name]());

        Assert.False(inspection.IsClean);
        Assert.NotNull(inspection.ActiveFeature);
        Assert.Null(inspection.Uninspectable);
    }

    [Theory]
    [MemberData(nameof(Clean))]
    public async Task A_clean_pdf_is_accepted(string name)
    {
        var inspection = await PdfInspector.InspectAsync(CleanPdfs.All[name]());

        Assert.Equal(PdfInspection.Clean, inspection);
    }

    [Fact]
    public void The_corpus_has_at_least_thirty_of_each()
    {
        Assert.True(HostilePdfs.All.Count >= 30, $"{HostilePdfs.All.Count} hostile PDFs");
        Assert.True(CleanPdfs.All.Count >= 30, $"{CleanPdfs.All.Count} clean PDFs");
    }

    [Theory]
    [InlineData("open-action-javascript-fully-hex-escaped-names", "JavaScript")]
    [InlineData("javascript-in-object-stream-ascii85-then-flate", "JavaScript")]
    [InlineData("launch-in-lzw-object-stream", "a launch action (starts a program)")]
    [InlineData("open-action-gotor", "a link into another file")]
    [InlineData("open-action-submitform", "a form that sends its data elsewhere")]
    [InlineData("xfa-in-object-stream", "an XFA form")]
    [InlineData("embedded-files-name-tree", "an embedded file")]
    [InlineData("rich-media-annotation", "rich media (Flash or video)")]
    public async Task The_reason_names_what_was_found(string name, string feature)
    {
        Assert.Equal(feature, (await PdfInspector.InspectAsync(HostilePdfs.All[name]())).ActiveFeature);
    }
}
