using WoningPas.Api.Documents;

namespace WoningPas.Api.Tests.Documents;

/// <summary>The PDF inspection on its own, including the cases that must stay clean.</summary>
public sealed class PdfActiveContentTests
{
    private static async Task<PdfInspection> InspectAsync(byte[] pdf)
    {
        await using var file = new MemoryStream(pdf);
        return await PdfActiveContent.InspectAsync(file, 10 * 1024 * 1024, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("/S /JavaScript /JS (app.alert\\(1\\))", "JavaScript")]
    [InlineData("/S /J#61vaScript /J#53 (app.alert\\(1\\))", "JavaScript")]
    [InlineData("/S/#4A#61#76#61#53#63#72#69#70#74/#4a#53(x)", "JavaScript")]
    [InlineData("/S /Launch /F (cmd.exe)", "a launch action (starts a program)")]
    [InlineData("/S /GoToE /T << /N (payload.exe) >>", "a link into an embedded file")]
    public async Task Active_names_are_found_however_they_are_spelled(string action, string feature)
    {
        var inspection = await InspectAsync(TestDocuments.PdfWithOpenAction(action));

        Assert.False(inspection.IsClean);
        Assert.Equal(feature, inspection.ActiveFeature);
    }

    [Fact]
    public async Task JavaScript_inside_a_compressed_object_stream_is_found()
    {
        var inspection = await InspectAsync(TestDocuments.PdfWithJavaScriptInObjectStream());

        Assert.Equal("JavaScript", inspection.ActiveFeature);
    }

    [Fact]
    public async Task JavaScript_inside_a_doubly_compressed_object_stream_is_found()
    {
        var inspection = await InspectAsync(TestDocuments.PdfWithJavaScriptInDoublyCompressedObjectStream());

        Assert.Equal("JavaScript", inspection.ActiveFeature);
    }

    [Fact]
    public async Task A_plain_pdf_with_a_compressed_page_is_clean()
    {
        Assert.True((await InspectAsync(TestDocuments.CleanPdf())).IsClean);
    }

    [Fact]
    public async Task Image_samples_that_happen_to_look_like_names_are_not_mistaken_for_them()
    {
        Assert.True((await InspectAsync(TestDocuments.PdfWithImageThatLooksLikeNames())).IsClean);
    }

    [Fact]
    public async Task A_javascript_action_behind_a_fake_image_stream_is_still_found()
    {
        // The comment makes the scanner see a stream that a reader does not; calling it an image must not hide
        // the action that follows.
        var pdf = TestDocuments.PdfWithOpenAction("/Subtype /Image >> % stream\n<< /S /JavaScript /JS (x) >> endstream <<");

        Assert.Equal("JavaScript", (await InspectAsync(pdf)).ActiveFeature);
    }

    [Fact]
    public async Task A_name_that_only_starts_like_a_refused_one_is_not_refused()
    {
        Assert.True((await InspectAsync(TestDocuments.PdfWithOpenAction("/S /GoTo /D [0 /JSON /AAB]"))).IsClean);
    }

    [Fact]
    public async Task Compressed_streams_that_inflate_past_the_budget_are_refused_not_skipped()
    {
        await using var file = new MemoryStream(TestDocuments.CleanPdf());
        var inspection = await PdfActiveContent.InspectAsync(file, maxInflatedBytes: 10, TestContext.Current.CancellationToken);

        Assert.False(inspection.IsClean);
        Assert.Null(inspection.ActiveFeature);
        Assert.NotNull(inspection.TooComplexReason);
    }
}
