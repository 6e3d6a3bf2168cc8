package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.LittleEndianReader;
import io.netty.buffer.ByteBuf;
import java.util.UUID;
import java.util.function.Function;

/**
 * The shared bounds-checked reader ({@link LittleEndianReader}) with what DCE/RPC codecs add: GUIDs and
 * {@link Octets}. A short read throws the codec's protocol exception with {@code truncated FIELD: N bytes
 * (expected: M)}.
 */
public final class WireReader extends LittleEndianReader {

    /**
     * A reader over the readable bytes of {@code buf}; reads move {@code buf}'s reader index.
     *
     * @param errors makes the exception thrown for a message, e.g. {@code DceProtocolException::new}
     */
    public WireReader(ByteBuf buf, Function<String, ? extends RuntimeException> errors) {
        super(buf, errors, ShortRead.TRUNCATED);
    }

    /** A reader for DCE/RPC codecs, throwing {@link DceProtocolException}. */
    public static WireReader dce(ByteBuf buf) {
        return new WireReader(buf, DceProtocolException::new);
    }

    /** Sets the limit to {@code length} bytes from the current position. */
    public void limit(int length) {
        limit(length, "pdu");
    }

    public UUID guid(String field) {
        require(Guids.LENGTH, field);
        return Guids.read(buffer());
    }

    public Octets bytes(int n, String field) {
        return Octets.wrap(byteArray(n, field));
    }
}
