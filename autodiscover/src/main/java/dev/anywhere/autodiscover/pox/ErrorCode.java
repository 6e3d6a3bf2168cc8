package dev.anywhere.autodiscover.pox;

/**
 * An Autodiscover {@code ErrorCode} value. The set is open (servers MAY use values outside the spec table), so this is
 * a value class: {@link #valueOf(int)} never throws and {@link #toString()} prints {@code NAME(600)}.
 *
 * @param value the numeric code as it appears on the wire
 * @see [MS-OXDSCLI] 2.2.4.1.1.3.2 ErrorCode
 */
public record ErrorCode(int value) {

    /** Address not found: the server cannot work out how to serve the address. */
    public static final ErrorCode ADDRESS_NOT_FOUND = new ErrorCode(500);
    /** Bad address: the address is known but has no configuration options (not a mailbox). */
    public static final ErrorCode BAD_ADDRESS = new ErrorCode(501);
    /** Not in the spec table; Exchange: mailbox on a pre-2007 server. */
    public static final ErrorCode LEGACY_MAILBOX = new ErrorCode(503);
    /** Not in the spec table; Exchange: mailbox server FQDN unknown. */
    public static final ErrorCode MAILBOX_SERVER_NOT_FOUND = new ErrorCode(505);
    /** Invalid request: the XML is malformed, hostile, or the method was not POST. */
    public static final ErrorCode INVALID_REQUEST = new ErrorCode(600);
    /** The server cannot provide configuration of the requested type ({@code AcceptableResponseSchema}). */
    public static final ErrorCode PROVIDER_UNAVAILABLE = new ErrorCode(601);
    /** Bad address: the address is known but its configuration has errors. */
    public static final ErrorCode CONFIGURATION_ERROR = new ErrorCode(602);
    /** Server internal error (directory failure, unexpected exception). */
    public static final ErrorCode INTERNAL_SERVER_ERROR = new ErrorCode(603);

    public static ErrorCode valueOf(int value) {
        return new ErrorCode(value);
    }

    /** The symbolic name, {@code UNKNOWN} for codes outside the table above. */
    public String name() {
        return switch (value) {
            case 500 -> "ADDRESS_NOT_FOUND";
            case 501 -> "BAD_ADDRESS";
            case 503 -> "LEGACY_MAILBOX";
            case 505 -> "MAILBOX_SERVER_NOT_FOUND";
            case 600 -> "INVALID_REQUEST";
            case 601 -> "PROVIDER_UNAVAILABLE";
            case 602 -> "CONFIGURATION_ERROR";
            case 603 -> "INTERNAL_SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    /** The {@code Message} text Exchange pairs with the code (English). */
    public String defaultMessage() {
        return switch (value) {
            case 500 -> "The email address can't be found.";
            case 501 -> "The email address has no configuration options.";
            case 600 -> "Invalid Request";
            case 601 -> "The requested schema is not available.";
            case 602 -> "The email address is not configured correctly.";
            case 603 -> "The server encountered an internal error.";
            default -> "Error " + value;
        };
    }

    @Override
    public String toString() {
        return name() + "(" + value + ")";
    }
}
