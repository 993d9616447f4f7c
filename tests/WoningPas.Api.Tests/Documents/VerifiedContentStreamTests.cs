using System.Security.Cryptography;
using WoningPas.Api.Documents;

namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// The store reads the spool through <see cref="VerifiedContentStream"/>: what it encrypts and stores must be the bytes
/// whose SHA-256 was taken on arrival, before the scan and the inspection read the same file.
/// </summary>
public sealed class VerifiedContentStreamTests
{
    private static readonly byte[] Checked = RandomNumberGenerator.GetBytes(200_000);

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, 64 * 1024, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    [Fact]
    public async Task The_bytes_that_were_checked_pass_through_unchanged()
    {
        await using var verified = new VerifiedContentStream(new MemoryStream(Checked), Checked.Length, SHA256.HashData(Checked));

        Assert.Equal(Checked, await ReadAllAsync(verified));
    }

    [Fact]
    public async Task A_spool_changed_after_the_checks_is_not_stored()
    {
        var changed = (byte[])Checked.Clone();
        changed[150_000] ^= 1;
        await using var verified = new VerifiedContentStream(new MemoryStream(changed), Checked.Length, SHA256.HashData(Checked));

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(verified));
    }

    [Fact]
    public async Task A_spool_that_shrank_after_the_checks_is_not_stored()
    {
        await using var verified = new VerifiedContentStream(new MemoryStream(Checked[..100_000]), Checked.Length,
            SHA256.HashData(Checked));

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(verified));
    }

    [Fact]
    public async Task Bytes_appended_after_the_checks_are_not_read()
    {
        await using var verified = new VerifiedContentStream(new MemoryStream([.. Checked, .. "%%EOF /JS"u8.ToArray()]),
            Checked.Length, SHA256.HashData(Checked));

        Assert.Equal(Checked, await ReadAllAsync(verified));
    }
}
