package dev.anywhere.server.config;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The applied configuration of the gateway's {@code /rpc} virtual directory: Anywhere's equivalent of what IIS and
 * the RpcProxy registry key hold on an Exchange server. The configurator writes it from the directory; the gateway
 * follows it.
 *
 * @param server the server this configuration belongs to (EX1)
 * @param enabled whether /rpc exists (Outlook Anywhere enabled); a disabled /rpc answers 404
 * @param authentication the HTTP schemes offered (IIS Basic and Windows authentication providers); anonymous is always off
 * @param requireSsl IIS {@code sslFlags="Ssl,Ssl128"}; false when SSL offloading is on ({@code sslFlags="None"})
 * @param validPorts RpcProxy's {@code ValidPorts_AutoConfig_Exchange}
 */
public record RpcVdirConfig(String server, boolean enabled, Set<HttpAuthScheme> authentication, boolean requireSsl,
        ValidPorts validPorts) {

    public RpcVdirConfig {
        Objects.requireNonNull(server, "server");
        authentication = authentication.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(authentication));
        Objects.requireNonNull(validPorts, "validPorts");
    }

    /** What a server without Outlook Anywhere has: no /rpc, nothing permitted. */
    public static RpcVdirConfig disabled(String server) {
        return new RpcVdirConfig(server, false, Set.of(), true, ValidPorts.none());
    }

    /** The schemes in the order they are offered. */
    public java.util.List<HttpAuthScheme> authenticationInOrder() {
        return authentication.isEmpty() ? java.util.List.of() : java.util.List.copyOf(EnumSet.copyOf(authentication));
    }
}
