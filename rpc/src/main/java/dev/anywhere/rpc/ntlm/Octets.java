package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.OctetString;

/**
 * An immutable byte string: keys, challenges, responses and raw AV pair values (the shared
 * {@link OctetString}). Factories and {@link #toByteArray()} copy, so a holder can never change what it was
 * given or what it hands out. {@link #toString()} prints lower-case hex.
 */
public final class Octets extends OctetString<Octets> {

    /** The empty byte string. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private Octets(byte[] bytes) {
        super(bytes);
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte[] bytes) {
        return wrap(bytes.clone());
    }

    /** Parses hex digits; whitespace is ignored so that spec dumps can be pasted as they are. */
    public static Octets fromHex(String hex) {
        return wrap(parseHex(hex));
    }

    /** Takes ownership of {@code bytes}; callers must not keep a reference. */
    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    @Override
    protected Octets wrapOwned(byte[] bytes) {
        return wrap(bytes);
    }

    /** The bytes without a copy, for this package's codecs only. */
    byte[] unsafeArray() {
        return array();
    }

    @Override
    public String toString() {
        return hex();
    }
}
