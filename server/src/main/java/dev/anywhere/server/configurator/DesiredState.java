package dev.anywhere.server.configurator;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import java.util.List;
import java.util.Optional;

/**
 * Computes the /rpc configuration a server should have from its directory objects, as Exchange's
 * RpcHttpConfigurator derives the IIS settings and ValidPorts: authentication from IISAuthenticationMethods,
 * "Require SSL" unless SSLOffloading, ValidPorts for the short name and FQDN of every Exchange server and localhost.
 */
final class DesiredState {

    /** The ports the RPC endpoints listen on: store (EMSMDB), referral (RFR), address book (NSPI), endpoint mapper. */
    static final List<Integer> RPC_PORTS = List.of(6001, 6002, 6004, 593);

    private DesiredState() {
    }

    static RpcVdirConfig of(SiteDirectory directory, String serverName) {
        ExchangeServer server = directory.server(serverName).orElseThrow(() -> new DirectoryException(
                dev.anywhere.directory.DirectoryText.of(dev.anywhere.directory.DirectoryText.Key.LOCAL_SERVER_MISSING, "server", serverName),
                false, null));
        Optional<RpcHttpVirtualDirectory> vdir = directory.rpcVirtualDirectory(server.name());
        if (vdir.isEmpty()) {
            return RpcVdirConfig.disabled(server.name());
        }
        RpcHttpVirtualDirectory v = vdir.get();
        return new RpcVdirConfig(server.name(), true, HttpAuthScheme.fromIisMethods(v.iisAuthenticationMethods()),
                !v.sslOffloading(), ValidPorts.forNames(backEndNames(directory, server), RPC_PORTS));
    }

    /**
     * The names a proxy on {@code local} may reach: its own short name and FQDN, and those of every other Exchange
     * server in the directory, as Exchange 2007/2010 wrote {@code ValidPorts_AutoConfig_Exchange} for all mailbox
     * servers: a client access array member must reach the mailbox server a client names, not only itself.
     */
    private static List<String> backEndNames(SiteDirectory directory, ExchangeServer local) {
        List<String> names = new java.util.ArrayList<>(List.of(local.shortName(), local.fqdn()));
        for (ExchangeServer other : directory.servers()) {
            if (other.exchange() && !other.name().equalsIgnoreCase(local.name())) {
                names.add(other.shortName());
                names.add(other.fqdn());
            }
        }
        return names;
    }
}
