namespace WoningPas.Api.Tests.Documents;

/// <summary>
/// A request body made up as it is read, counting how much the server pulled: the evidence that an oversized upload
/// was refused without being received whole.
/// </summary>
internal sealed class CountingStream(long totalBytes, byte[]? prefix = null) : Stream
{
    private long _produced;

    public long TotalBytes { get; } = totalBytes;

    public long Produced => Interlocked.Read(ref _produced);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var produced = Produced;
        var count = (int)Math.Min(buffer.Length, TotalBytes - produced);
        if (count <= 0)
        {
            return 0;
        }

        buffer[..count].Fill((byte)'x');
        if (prefix is not null && produced < prefix.Length)
        {
            prefix.AsSpan((int)produced, (int)Math.Min(prefix.Length - produced, count)).CopyTo(buffer);
        }

        Interlocked.Add(ref _produced, count);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
