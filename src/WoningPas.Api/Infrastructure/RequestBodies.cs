using System.Buffers;

namespace WoningPas.Api.Infrastructure;

public static class RequestBodies
{
    /// <summary>
    /// The request body, or null when it is longer than <paramref name="maxBytes"/>: read with a bound, so that a
    /// chunked body without a Content-Length cannot grow past it either.
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 4096));
        while (true)
        {
            var memory = buffer.GetMemory(1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }
}
