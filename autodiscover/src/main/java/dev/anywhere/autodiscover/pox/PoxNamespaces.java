package dev.anywhere.autodiscover.pox;

/**
 * The XML namespaces of the Outlook Autodiscover POX protocol.
 *
 * @see [MS-OXDSCLI] 2.2.3 Autodiscover Request
 * @see [MS-OXDSCLI] 2.2.4 Autodiscover Response
 */
public final class PoxNamespaces {

    /** Namespace of the request's {@code Autodiscover} root and all its descendants. */
    public static final String REQUEST = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";

    /** Namespace of the response's outer {@code Autodiscover} element (and of {@code Response} in error answers). */
    public static final String RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";

    /**
     * The Outlook response schema: the value a client puts in {@code AcceptableResponseSchema} and the namespace of
     * the inner {@code Response} element of a settings or redirect answer.
     */
    public static final String OUTLOOK_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    /** The ActiveSync response schema ([MS-ASCMD]); an Outlook endpoint cannot provide it (ErrorCode 601). */
    public static final String MOBILESYNC_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";

    private PoxNamespaces() {
    }
}
