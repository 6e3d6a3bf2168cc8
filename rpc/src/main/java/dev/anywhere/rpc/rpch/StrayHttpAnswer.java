package dev.anywhere.rpc.rpch;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP answer where a client's OUT channel expects the next PDU: a proxy that fails after it has sent the channel's
 * 200 and headers writes its error status line ({@code HTTP/1.1 503 RPC Error: 6ba}) into the body. Every PDU starts
 * with rpc_vers 5, so {@code "HT"} at a PDU boundary is never a PDU; clients report the line rather than a bad
 * rpc_vers. Both the analyzer's client and the bench's lean client frame with this.
 *
 * @see [MS-RPCH] 2.1.2.1.4 OUT Channel Response (the 200 whose body is the PDU stream), 2.1.2.1.3 (errors are a 503)
 */
public final class StrayHttpAnswer {

    /** Longest line reported, in characters: enough for a status line and reason phrase, bounded for logs. */
    public static final int MAX_LINE = 200;

    private StrayHttpAnswer() {
    }

    /**
     * Whether the bytes at {@code index} start an HTTP answer ({@code "HT"}) instead of a PDU. Reads two bytes and
     * allocates nothing: it runs on the lean client's hot path for every PDU.
     */
    public static boolean startsAt(ByteBuf in, int index) {
        return in.getByte(index) == 'H' && in.getByte(index + 1) == 'T';
    }

    /** The answer's first line from {@code index}: up to the first CR or LF, at most {@link #MAX_LINE} characters. */
    public static String line(ByteBuf in, int index) {
        int end = index + Math.min(in.writerIndex() - index, MAX_LINE);
        int i = index;
        while (i < end && in.getByte(i) != '\r' && in.getByte(i) != '\n') {
            i++;
        }
        return in.toString(index, i - index, StandardCharsets.ISO_8859_1);
    }
}
