package dev.anywhere.autodiscover.pox;

import dev.anywhere.autodiscover.pox.PoxParseException.Reason;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes Autodiscover POX documents.
 *
 * <p>Reading is hardened for hostile input: the byte cap of {@link PoxLimits} is checked before parsing; a DTD,
 * an entity reference or any external resource is refused (nothing is read from disk or network); depth and element
 * count are capped while parsing; the root's namespace is checked. Every failure is a {@link PoxParseException},
 * which a server maps to ErrorCode 600.
 *
 * <p>Writing follows Exchange: UTF-8 with an XML declaration, outer {@code Autodiscover} in the response schema
 * 2006, inner {@code Response} in the Outlook schema 2006a (or, for errors, in the outer namespace), and Exchange's
 * element order.
 *
 * @see [MS-OXDSCLI] 2.2.3 Autodiscover Request
 * @see [MS-OXDSCLI] 2.2.4 Autodiscover Response
 */
public final class PoxCodec {

    private PoxCodec() {
    }

    public static AutodiscoverRequest readRequest(byte[] document) throws PoxParseException {
        return readRequest(document, PoxLimits.DEFAULT);
    }

    public static AutodiscoverRequest readRequest(byte[] document, PoxLimits limits) throws PoxParseException {
        return PoxReader.readRequest(document, document.length, limits);
    }

    /** Reads the readable bytes of {@code buf} (its reader index is not moved); size is checked before copying. */
    public static AutodiscoverRequest readRequest(ByteBuf buf, PoxLimits limits) throws PoxParseException {
        return readRequest(copy(buf, limits), limits);
    }

    public static AutodiscoverResponse readResponse(byte[] document) throws PoxParseException {
        return readResponse(document, PoxLimits.DEFAULT);
    }

    public static AutodiscoverResponse readResponse(byte[] document, PoxLimits limits) throws PoxParseException {
        return PoxReader.readResponse(document, document.length, limits);
    }

    public static AutodiscoverResponse readResponse(ByteBuf buf, PoxLimits limits) throws PoxParseException {
        return readResponse(copy(buf, limits), limits);
    }

    /**
     * Reads at most {@code limits.maxBytes() + 1} bytes of {@code in}, refusing a longer stream without reading the
     * rest. The stream is not closed.
     */
    public static byte[] readBounded(InputStream in, PoxLimits limits) throws IOException, PoxParseException {
        byte[] bytes = in.readNBytes(limits.maxBytes() + 1);
        if (bytes.length > limits.maxBytes()) {
            throw new PoxParseException(Reason.TOO_LARGE,
                    "document size: more than " + limits.maxBytes() + " bytes (expected: <= " + limits.maxBytes() + ")");
        }
        return bytes;
    }

    public static String writeRequestString(AutodiscoverRequest request) {
        return PoxWriter.request(request);
    }

    public static byte[] writeRequest(AutodiscoverRequest request) {
        return writeRequestString(request).getBytes(StandardCharsets.UTF_8);
    }

    public static String writeResponseString(AutodiscoverResponse response) {
        return PoxWriter.response(response);
    }

    public static byte[] writeResponse(AutodiscoverResponse response) {
        return writeResponseString(response).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] copy(ByteBuf buf, PoxLimits limits) throws PoxParseException {
        int n = buf.readableBytes();
        if (n > limits.maxBytes()) {
            throw new PoxParseException(Reason.TOO_LARGE,
                    "document size: " + n + " bytes (expected: <= " + limits.maxBytes() + ")");
        }
        byte[] bytes = new byte[n];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
