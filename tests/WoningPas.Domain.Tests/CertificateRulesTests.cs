using static WoningPas.Domain.Tests.Dates;

namespace WoningPas.Domain.Tests;

public class CertificateRulesTests
{
    [Theory]
    [InlineData("2020-03-15", "2030-03-15")]
    [InlineData("2024-02-29", "2034-02-28")] // no 29 February in 2034: the earlier day, never a day too long
    public void Epc_is_valid_10_years_from_issue(string issuedOn, string validUntil)
    {
        // DOMAIN.md: EPC valid 10 years from issue.
        Assert.Equal(Iso(validUntil), CertificateRules.EpcValidUntil(Iso(issuedOn)));
    }

    [Theory]
    [InlineData("2023-05-10", false, "2033-05-10")]
    [InlineData("2023-05-10", true, "2028-05-10")]
    [InlineData("2024-02-29", false, "2034-02-28")]
    [InlineData("2024-02-29", true, "2029-02-28")]
    public void Asbestos_certificate_is_valid_10_years_or_5_with_high_risk_materials(string issuedOn,
        bool highRisk, string validUntil)
    {
        // DOMAIN.md: valid 10 years; 5 years if it finds non-asbestos-safe materials with a high risk.
        Assert.Equal(Iso(validUntil), CertificateRules.AsbestosValidUntil(Iso(issuedOn), highRisk));
    }

    [Theory]
    [InlineData(2000, "2022-11-23", true)]
    [InlineData(2000, "2022-11-22", false)]
    [InlineData(1930, "2030-01-01", true)]
    [InlineData(2001, "2022-11-23", false)]
    [InlineData(2001, "2030-01-01", false)]
    public void Asbestos_certificate_is_required_at_sale_for_buildings_before_2001_since_23_November_2022(
        int constructionYear, string saleDate, bool expected)
    {
        // DOMAIN.md: required at sale for buildings built before 2001 (since 23 Nov 2022).
        Assert.Equal(expected, CertificateRules.AsbestosCertificateRequiredAtSale(constructionYear, Iso(saleDate)));
    }

    [Theory]
    [InlineData("2021-09-01", false, "2031-09-01")]
    [InlineData("2021-09-01", true, "2026-09-01")]
    [InlineData("2028-02-29", true, "2033-02-28")]
    public void Conformity_certificate_is_valid_10_years_or_5_after_an_investigation_found_defects(string issuedOn,
        bool afterDefects, string validUntil)
    {
        // DOMAIN.md: conformity certificate valid 10 years (5 when issued after a quality investigation found defects).
        Assert.Equal(Iso(validUntil), CertificateRules.ConformityValidUntil(Iso(issuedOn), afterDefects));
    }

    [Theory]
    [InlineData("2030-06-30", SectionStatus.Valid)]
    [InlineData("2030-08-01", SectionStatus.Valid)] // 91 days left
    [InlineData("2030-08-02", SectionStatus.Expiring)] // 90 days left: the first reminder
    [InlineData("2030-10-01", SectionStatus.Expiring)] // 30 days left
    [InlineData("2030-10-31", SectionStatus.Expiring)] // the last valid day
    [InlineData("2030-11-01", SectionStatus.Expired)]
    public void Status_follows_the_valid_until_day_and_the_90_day_reminder(string today, SectionStatus expected)
    {
        // DOMAIN.md: the product warns a holder 90 and 30 days before expiry.
        Assert.Equal(expected, CertificateRules.StatusOn(Iso("2030-10-31"), Iso(today)));
    }

    [Theory]
    [InlineData(true, SectionStatus.Missing)]
    [InlineData(false, SectionStatus.NotRequired)]
    public void Without_a_certificate_the_status_depends_on_whether_one_is_required(bool required,
        SectionStatus expected)
    {
        Assert.Equal(expected, CertificateRules.StatusOn(null, Iso("2030-01-01"), required));
    }

    [Fact]
    public void A_missing_certificate_counts_as_required_unless_said_otherwise()
    {
        Assert.Equal(SectionStatus.Missing, CertificateRules.StatusOn(null, Iso("2030-01-01")));
    }

    [Fact]
    public void A_certificate_that_is_not_required_still_expires()
    {
        Assert.Equal(SectionStatus.Expired,
            CertificateRules.StatusOn(Iso("2029-12-31"), Iso("2030-01-01"), required: false));
    }
}
