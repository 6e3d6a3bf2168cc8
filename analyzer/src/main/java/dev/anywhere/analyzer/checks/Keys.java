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
    /** Where the accepted Autodiscover answer came from ({@code host}, {@code address:port}): the site's own address. */
    static final String AUTODISCOVER_ANSWERED = "autodiscover.answered";
    /** The POST that gave the settings ({@link AutodiscoverPhase.Accepted}): the members are asked there again. */
    static final String AUTODISCOVER_ACCEPTED = "autodiscover.accepted";
    /** The scheme the echo passed with: the credentials are good, so a later 401 is a hop's doing. */
    static final String ECHO_SCHEME = "rpc-proxy.echo-scheme";

    /** The address book server the referral service named (RfrGetNewDSA). */
    static final String NSPI_SERVER = "mapi.nspi-server";
    /** The DN of the mailbox's home server, from the address book entry (PR_EMS_AB_HOME_MDB). */
    static final String HOME_SERVER_DN = "mapi.home-server-dn";
    /** The home server's FQDN, from the referral service (RfrGetFQDNFromServerDN). */
    static final String HOME_SERVER = "mapi.home-server";

    /** The MAPI steps' connections ({@link dev.anywhere.analyzer.rpch.OutlookSequence}): the referral binding between steps. */
    static final String OUTLOOK = "mapi.outlook";

    private Keys() {
    }
}
