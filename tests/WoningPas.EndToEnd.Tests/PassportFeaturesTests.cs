using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using WoningPas.Data.Demo;
using WoningPas.Testing;

namespace WoningPas.EndToEnd.Tests;

/// <summary>
/// The holder's passport page beyond reading: documents, "report wrong data", sharing and "who saw my data", each
/// through the real page in Chromium against the real Api (PostgreSQL, clamd), and axe on every new state.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PassportFeaturesTests(BrowserStack stack)
{
    private const float Timeout = 30_000;

    [Fact]
    public async Task A_holder_uploads_a_clean_pdf_sees_it_listed_and_downloads_it_and_a_virus_is_refused_with_its_reason()
    {
        await using var context = await NewContextAsync();
        var page = await SignedInAtGentAsync(context);
        var card = page.Locator("[data-section=documents][data-documents=ready]");
        await card.WaitForAsync(new() { Timeout = Timeout });
        var form = card.Locator("[data-testid=upload-form]");
        var pdf = TestPdf.Clean();
        var title = $"Offerte zonnepanelen {Guid.NewGuid().ToString("N")[..6]}";

        await form.GetByLabel("Titel").FillAsync(title);
        await form.GetByLabel("Bestand").SetInputFilesAsync(new FilePayload { Name = "factuur.pdf", MimeType = "application/pdf", Buffer = pdf });
        await form.GetByRole(AriaRole.Button, new() { Name = "Document toevoegen" }).ClickAsync();
        await page.Locator("[data-testid=upload-form][data-state=stored]").WaitForAsync(new() { Timeout = Timeout });
        var link = card.Locator("[data-testid=documents] a", new() { HasText = title });
        await link.WaitForAsync(new() { Timeout = Timeout });
        await Axe.AssertNoBlockingViolationsAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"woningpas-e2e-{Guid.NewGuid():N}.pdf");
        await download.SaveAsAsync(saved);
        try
        {
            Assert.Equal("factuur.pdf", download.SuggestedFilename);
            Assert.Equal(pdf, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(saved);
        }

        // The EICAR test file dressed as a PDF: the scanner comes first and says what it found.
        await form.GetByLabel("Titel").FillAsync("Geen factuur");
        await form.GetByLabel("Bestand").SetInputFilesAsync(new FilePayload { Name = "factuur2.pdf", MimeType = "application/pdf", Buffer = EicarTestFile.Bytes });
        await form.GetByRole(AriaRole.Button, new() { Name = "Document toevoegen" }).ClickAsync();
        var refusal = page.Locator("[data-testid=upload-error][data-reason=upload-malware]");
        await refusal.WaitForAsync(new() { Timeout = Timeout });

        Assert.Contains("virus", await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("upload-error", await page.EvaluateAsync<string>("document.activeElement?.dataset.testid ?? ''"));
        Assert.Equal(0, await card.Locator("[data-testid=documents] a", new() { HasText = "Geen factuur" }).CountAsync());
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    /// <summary>Refusals the real Api gives in this stack: a file that is no PDF, and a PDF that runs JavaScript.</summary>
    [Theory]
    [InlineData("upload-unsupported-type", "Alleen PDF-, JPEG- en PNG-bestanden")]
    [InlineData("upload-active-content", "actieve inhoud")]
    public async Task A_refused_upload_says_why_in_the_words_of_the_page(string reason, string words)
    {
        await using var context = await NewContextAsync();
        var page = await SignedInAtGentAsync(context);
        var card = page.Locator("[data-section=documents][data-documents=ready]");
        await card.WaitForAsync(new() { Timeout = Timeout });
        var content = reason == "upload-unsupported-type"
            ? "#!/bin/sh\necho dit is geen PDF\n"u8.ToArray()
            : Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

        await UploadAsync(card, "Niet aanvaard", "plan.pdf", content);
        var refusal = page.Locator($"[data-testid=upload-error][data-reason={reason}]");
        await refusal.WaitForAsync(new() { Timeout = Timeout });

        Assert.Contains(words, await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await card.Locator("[data-testid=documents] a", new() { HasText = "Niet aanvaard" }).CountAsync());
    }

    /// <summary>
    /// Refusals this stack cannot provoke cheaply (a body over 10 MiB, clamd down, a PDF that takes longer to inspect
    /// than its budget; all covered against the real Api in WoningPas.Api.Tests): the Api's answer is replayed exactly
    /// as it sends it, to check the page's wording.
    /// </summary>
    [Theory]
    [InlineData(413, "upload-too-large", "te groot: een document mag hoogstens 10 MB zijn")]
    [InlineData(503, "upload-not-scanned", "niet op virussen gecontroleerd")]
    [InlineData(422, "upload-not-inspectable", "niet volledig gecontroleerd worden: het controleren duurt te lang")]
    public async Task A_too_large_or_unscanned_upload_says_why(int status, string reason, string words)
    {
        await using var context = await NewContextAsync();
        var page = await SignedInAtGentAsync(context);
        await page.RouteAsync("**/api/dwellings/*/documents?*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = status,
            ContentType = "application/problem+json",
            Body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["type"] = $"https://woningpas.vlaanderen.be/problems/{reason}",
                ["title"] = "Refused",
                ["status"] = status,
                ["maxBytes"] = 10 * 1024 * 1024,
                ["reason"] = "too-slow",
            }),
        }));
        var card = page.Locator("[data-section=documents][data-documents=ready]");
        await card.WaitForAsync(new() { Timeout = Timeout });

        await UploadAsync(card, "Groot plan", "plan.pdf", TestPdf.Clean());
        var refusal = page.Locator($"[data-testid=upload-error][data-reason={reason}]");
        await refusal.WaitForAsync(new() { Timeout = Timeout });

        Assert.Contains(words, await refusal.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_the_agency_answered_shows_its_status_and_the_answer_on_its_card()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/api/dwellings/*/reports", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new
            {
                reports = new[]
                {
                    new
                    {
                        id = Guid.NewGuid(), dwellingId = DemoData.GentHouseId, section = "asbestos",
                        comment = "Het asbestattest vermeldt een dak dat al vervangen is.", reportedAt = "2026-10-01T09:00:00Z",
                        status = "resolved", answer = "Het attest is aangepast na het nieuwe onderzoek.", answeredAt = "2026-10-08T14:00:00Z",
                    },
                },
            }),
        }));
        await Personas.SignInAsync(page, "citizen-a", "/woningpas");
        await SelectGentAsync(page);
        var status = page.Locator("[data-testid=report-asbestos] [data-report-status=resolved]");
        await status.WaitForAsync(new() { Timeout = Timeout });
        var text = await status.InnerTextAsync();

        Assert.Contains("opgelost", text, StringComparison.Ordinal);
        Assert.Contains("1 oktober 2026", text, StringComparison.Ordinal);
        Assert.Contains("Het attest is aangepast na het nieuwe onderzoek.", text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=report-epc] [data-report-status]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=report-renovation], [data-testid=report-documents]").CountAsync());
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    [Fact]
    public async Task A_holder_reports_wrong_data_with_the_keyboard_and_the_card_shows_it_submitted()
    {
        await using var context = await NewContextAsync();
        var page = await SignedInAtGentAsync(context);
        await page.Locator("[data-testid=cards][data-reports=ready]").WaitForAsync(new() { Timeout = Timeout });
        var report = page.Locator("[data-testid=report-epc]");
        var toggle = report.Locator("[data-testid=report-toggle]");

        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("true", await toggle.GetAttributeAsync("aria-expanded"));
        // The form moves focus into its text box; a comment that is too short is refused in words before sending.
        await page.Keyboard.TypeAsync("Fout");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        var error = report.Locator(".field__error");
        await error.WaitForAsync();
        Assert.Contains("10 tot 2000 tekens", await error.InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoBlockingViolationsAsync(page);

        await page.Keyboard.TypeAsync(": het label is D sinds de renovatie van 2024, niet E.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        var status = report.Locator("[data-testid=report-status][data-report-status=open]");
        await status.WaitForAsync(new() { Timeout = Timeout });

        Assert.Contains("ingediend", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await report.Locator("form").IsHiddenAsync());
        await Axe.AssertNoBlockingViolationsAsync(page);

        // The status comes from the Api, not from the page's memory: it is there after a reload too.
        await page.ReloadAsync();
        await SelectGentAsync(page);
        await page.Locator("[data-testid=report-epc] [data-report-status=open]").WaitForAsync(new() { Timeout = Timeout });
    }

    [Fact]
    public async Task A_link_share_made_on_the_page_shows_only_its_sections_its_use_and_stops_working_when_revoked()
    {
        await using var holder = await NewContextAsync();
        var page = await SignedInAtGentAsync(holder);
        var sharing = page.Locator("[data-testid=sharing]");
        await sharing.Locator("[data-testid=shares][data-state=ready]").WaitForAsync(new() { Timeout = Timeout });

        // Nothing chosen: the form says so instead of sending.
        await sharing.GetByRole(AriaRole.Button, new() { Name = "Delen", Exact = true }).ClickAsync();
        await sharing.Locator("[data-testid=share-error]").WaitForAsync();
        Assert.Contains("Kies minstens één onderdeel", await sharing.Locator("[data-testid=share-error]").InnerTextAsync(), StringComparison.Ordinal);

        await sharing.GetByRole(AriaRole.Checkbox, new() { Name = "Energieprestatiecertificaat (EPC)" }).CheckAsync();
        await sharing.GetByRole(AriaRole.Checkbox, new() { Name = "Asbestattest" }).CheckAsync();
        await sharing.GetByRole(AriaRole.Radio, new() { Name = "Met een link" }).CheckAsync();
        Assert.True(await sharing.GetByLabel("E-mailadres van de ontvanger").IsHiddenAsync());
        await sharing.GetByRole(AriaRole.Button, new() { Name = "Delen", Exact = true }).ClickAsync();
        var linkBox = sharing.Locator("[data-testid=share-link]");
        await linkBox.WaitForAsync(new() { Timeout = Timeout });
        var url = await linkBox.GetByLabel("Deellink").InputValueAsync();
        await Axe.AssertNoBlockingViolationsAsync(page);

        Assert.StartsWith(new Uri(stack.EdgeUrl, "/gedeeld#share=").ToString(), url, StringComparison.Ordinal);
        await holder.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await linkBox.Locator("[data-testid=share-link-copy]").ClickAsync();
        Assert.Equal(url, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        await using var recipient = await NewContextAsync();
        var shared = await recipient.NewPageAsync();
        await shared.GotoAsync(url);
        await shared.Locator("#shared[data-state=loaded]").WaitForAsync(new() { Timeout = Timeout });
        var sections = await shared.Locator("#shared [data-section]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.section)");
        Assert.Equal(["epc", "asbestos"], sections);
        Assert.Contains("Kerkstraat 12", await shared.Locator("#shared").InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoBlockingViolationsAsync(shared);

        // The holder sees the use, then stops the share (a second, explicit confirmation).
        await page.ReloadAsync();
        await SelectGentAsync(page);
        var share = sharing.Locator("li.share").First;
        await sharing.Locator("[data-testid=shares][data-state=ready]").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("active", await share.GetAttributeAsync("data-share-status"));
        Assert.Contains("1 keer gebruikt", await share.Locator("[data-testid=share-usage]").InnerTextAsync(), StringComparison.Ordinal);
        await share.Locator("summary").ClickAsync();
        Assert.Contains("via de link", await share.Locator("details").InnerTextAsync(), StringComparison.Ordinal);
        var shareId = await share.GetAttributeAsync("data-share-id");
        await share.Locator("[data-testid=share-revoke]").ClickAsync();
        await Axe.AssertNoBlockingViolationsAsync(page);
        await share.Locator("[data-testid=share-revoke-confirm]").ClickAsync();
        await sharing.Locator($"li.share[data-share-id='{shareId}'][data-share-status=revoked]").WaitForAsync(new() { Timeout = Timeout });

        await shared.ReloadAsync();
        await shared.Locator("#shared[data-state=revoked]").WaitForAsync(new() { Timeout = Timeout });
        Assert.DoesNotContain("Kerkstraat", await shared.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_made_before_the_share_page_moved_still_opens_the_shared_sections_in_english_too()
    {
        await using var holder = await NewContextAsync();
        var token = await CreateLinkShareAsync(holder, "soil");

        await using var recipient = await NewContextAsync();
        var page = await recipient.NewPageAsync();
        await page.GotoAsync($"/woningpas/gedeeld#share={token}");
        await page.Locator("#shared[data-state=loaded]").WaitForAsync(new() { Timeout = Timeout });
        Assert.EndsWith($"/gedeeld#share={token}", page.Url, StringComparison.Ordinal);

        // The language switch carries the token along.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync($"**/en/shared#share={token}");
        await page.Locator("#shared[data-state=loaded]").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("Soil certificate", (await page.Locator("#shared h3").InnerTextAsync()).Trim());
        Assert.Contains("What you can see", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    [Fact]
    public async Task Who_saw_my_data_lists_the_holders_own_reads_and_a_link_holders_read_and_offers_the_downloads()
    {
        await using var holder = await NewContextAsync();
        var token = await CreateLinkShareAsync(holder, "flood");
        await using var recipient = await NewContextAsync();
        var shared = await recipient.NewPageAsync();
        await shared.GotoAsync($"/gedeeld#share={token}");
        await shared.Locator("#shared[data-state=loaded]").WaitForAsync(new() { Timeout = Timeout });

        var page = await SignedInAtGentAsync(holder);
        var log = page.Locator("#passport-access-log");
        await log.GetByRole(AriaRole.Button, new() { Name = "Toon wie mijn gegevens zag" }).ClickAsync();
        await page.Locator("#access-log-body[data-state=ready]").WaitForAsync(new() { Timeout = Timeout });
        var table = log.Locator("[data-testid=access-log]");

        var ownRead = table.Locator("tr[data-by-you=true][data-action=read]", new() { HasText = "de woningpas" }).First;
        Assert.Contains("U zelf", await ownRead.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Kerkstraat 12", await ownRead.InnerTextAsync(), StringComparison.Ordinal);
        var linkRead = table.Locator("tr[data-role=link][data-action=read]").First;
        Assert.Contains("Iemand met een deellink", await linkRead.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("via een deling", await linkRead.InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoBlockingViolationsAsync(page);

        foreach (var (testId, type, marker) in new[] { ("access-log-csv", "text/csv", "occurredAt,actorRole"), ("access-log-json", "application/json", "\"actorRole\":\"link\"") })
        {
            var href = await log.Locator($"[data-testid={testId}]").GetAttributeAsync("href");
            var response = await holder.APIRequest.GetAsync(href!);
            Assert.Equal(200, response.Status);
            Assert.StartsWith(type, response.Headers["content-type"], StringComparison.Ordinal);
            Assert.StartsWith("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);
            Assert.Contains(marker, await response.TextAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_english_passport_words_a_refusal_and_a_report_in_english()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/en/passport");
        await SelectGentAsync(page);
        var card = page.Locator("[data-section=documents][data-documents=ready]");
        await card.WaitForAsync(new() { Timeout = Timeout });

        var form = card.Locator("[data-testid=upload-form]");
        await form.GetByLabel("Title").FillAsync("Not a plan");
        await form.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "plan.png", MimeType = "image/png", Buffer = EicarTestFile.Bytes });
        await form.GetByRole(AriaRole.Button, new() { Name = "Add document" }).ClickAsync();
        var refusal = page.Locator("[data-testid=upload-error][data-reason=upload-malware]");
        await refusal.WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("The virus scanner found a virus in this file", await refusal.InnerTextAsync(), StringComparison.Ordinal);

        var report = page.Locator("[data-testid=report-soil]");
        await page.Locator("[data-testid=cards][data-reports=ready]").WaitForAsync(new() { Timeout = Timeout });
        await report.GetByRole(AriaRole.Button, new() { Name = "Report wrong data" }).ClickAsync();
        await report.GetByLabel("What is wrong with: Soil certificate?").FillAsync("The soil certificate names the wrong parcel.");
        await report.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        var status = report.Locator("[data-report-status=open]");
        await status.WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("submitted", await status.InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoBlockingViolationsAsync(page);
    }

    private static async Task UploadAsync(ILocator card, string title, string fileName, byte[] content)
    {
        var form = card.Locator("[data-testid=upload-form]");
        await form.GetByLabel("Titel").FillAsync(title);
        await form.GetByLabel("Bestand").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = content });
        await form.GetByRole(AriaRole.Button, new() { Name = "Document toevoegen" }).ClickAsync();
    }

    private Task<IBrowserContext> NewContextAsync() =>
        stack.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = stack.EdgeUrl.ToString() });

    private static async Task<IPage> SignedInAtGentAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/woningpas");
        await SelectGentAsync(page);
        return page;
    }

    /// <summary>Dwellings come sorted by municipality, so the Gent house is the second choice.</summary>
    private static async Task SelectGentAsync(IPage page)
    {
        await page.Locator("#passport[data-state=ready]").WaitForAsync(new() { Timeout = Timeout });
        await page.GetByRole(AriaRole.Radio, new() { Name = "Kerkstraat 12" }).CheckAsync();
        await page.Locator("#passport[data-state=ready] h2.dwelling__title", new() { HasText = "Kerkstraat 12" })
            .WaitForAsync(new() { Timeout = Timeout });
    }

    private static async Task<string> CreateLinkShareAsync(IBrowserContext holder, string section)
    {
        var page = await holder.NewPageAsync();
        await Personas.SignInAsync(page, "citizen-a", "/woningpas");
        var created = await holder.APIRequest.PostAsync($"/api/dwellings/{DemoData.GentHouseId}/shares", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["X-WoningPas-Csrf"] = "1" },
            DataObject = new { sections = new[] { section }, link = true, expiresOn = DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        });
        Assert.Equal(201, created.Status);
        using var body = JsonDocument.Parse(await created.TextAsync());
        await page.CloseAsync();
        return body.RootElement.GetProperty("linkToken").GetString()!;
    }
}
