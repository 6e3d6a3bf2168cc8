package dev.anywhere.rpc.rpch.client;

/**
 * The channels of a virtual connection as the client role sees them: one IN and one OUT channel, and while one of
 * them is recycled, its successor.
 *
 * @see [MS-RPCH] 3.2.2.4.1.3 Recycling
 */
public enum ClientChannel {
    IN("IN"),
    OUT("OUT"),
    IN_SUCCESSOR("IN"),
    OUT_SUCCESSOR("OUT");

    private final String direction;

    ClientChannel(String direction) {
        this.direction = direction;
    }

    /** "IN" or "OUT", as messages name a channel. */
    public String direction() {
        return direction;
    }
}
