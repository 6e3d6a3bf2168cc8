package dev.anywhere.analyzer.checks;

/** Names of what checks hand to later checks through the {@link dev.anywhere.analyzer.check.CheckContext}. */
final class Keys {

    static final String AUTODISCOVER_RESPONSE = "autodiscover.response";
    static final String PROXY = "rpc-proxy.settings";
    static final String PROXY_ADDRESS = "rpc-proxy.address";
    static final String PROXY_CHAIN = "rpc-proxy.chain";
    static final String PROXY_SCHEMES = "rpc-proxy.schemes";
    /** The status of the anonymous authentication audit, which the echo needs to have passed. */
    static final String PROXY_AUDIT = "rpc-proxy.audit";

    private Keys() {
    }
}
