package dev.anywhere.lab.dns;

/** How a query arrived, which decides the response size limit (RFC 1035 4.2). */
public enum Transport {
    /** UDP: 512 bytes unless the query's EDNS(0) OPT record advertises more (RFC 1035 4.2.1, RFC 6891 6.2.3). */
    UDP,
    /** TCP: two-byte length prefix, up to 65535 bytes, never truncated (RFC 1035 4.2.2, RFC 7766). */
    TCP
}
