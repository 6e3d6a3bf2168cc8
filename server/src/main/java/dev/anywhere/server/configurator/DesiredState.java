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
 * "Require SSL" unless SSLOffloading, ValidPorts for the server's short name, FQDN and localhost.
 */
final class DesiredState {

    /** The ports the RPC endpoints listen on: store (EMSMDB), referral (RFR), address book (NSPI), endpoint mapper. */
    static final List<Integer> RPC_PORTS = List.of(6001, 6002, 6004, 593);

    private DesiredState() {
    }

    static RpcVdirConfig of(SiteDirectory directory, String serverName) {
        ExchangeServer server = directory.server(serverName).orElseThrow(() -> new DirectoryException(
                "local server not found: " + serverName + " (expected: a server object of that name in the directory)",
                false, null));
        Optional<RpcHttpVirtualDirectory> vdir = directory.rpcVirtualDirectory(server.name());
        if (vdir.isEmpty()) {
            return RpcVdirConfig.disabled(server.name());
        }
        RpcHttpVirtualDirectory v = vdir.get();
        return new RpcVdirConfig(server.name(), true, HttpAuthScheme.fromIisMethods(v.iisAuthenticationMethods()),
                !v.sslOffloading(), ValidPorts.forServer(server.shortName(), server.fqdn(), RPC_PORTS));
    }
}
