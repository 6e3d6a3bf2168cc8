package dev.anywhere.autodiscover.pox;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Type} of a {@code Protocol} element.
 *
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/Type)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/type-pox">Type (POX)</a>
 */
public enum ProtocolType {
    /** RPC (over TCP) to the mailbox or client-access server: the internal connection. */
    EXCH("EXCH"),
    /** RPC over HTTP through the RPC proxy: Outlook Anywhere. */
    EXPR("EXPR"),
    /** Outlook Web App and web-service URLs. */
    WEB("WEB"),
    /** RPC over HTTP node for clients that sent {@code X-ClientCanHandle: ExHttpInfo}. */
    EXHTTP("EXHTTP"),
    /** MAPI over HTTP ({@code <Protocol Type="mapiHttp" Version="1">}), only with {@code X-MapiHttpCapability}. */
    MAPI_HTTP("mapiHttp");

    private final String wireName;

    ProtocolType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a type case-insensitively; empty for a type this model does not know. */
    public static Optional<ProtocolType> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ProtocolType p : values()) {
            if (p.wireName.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
