package dev.anywhere.server.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code roles.json}: which server roles are installed on this machine and whether the RPC proxy is switched on,
 * Anywhere's equivalent of the {@code HKLM\Software\Microsoft\Rpc\RpcProxy} key the configurator checks
 * (events 2003 ProxyNotInstalled and 2008 ProxyNotEnabled). Each role registers itself when it starts.
 *
 * @param rpcProxyInstalled the gateway (RPC over HTTP proxy) is installed
 * @param rpcProxyEnabled RpcProxy\Enabled: the proxy may relay
 * @param rpcEndpointsInstalled the RPC endpoints (6001/6002/6004/593) are installed
 */
public record LocalRoles(boolean rpcProxyInstalled, boolean rpcProxyEnabled, boolean rpcEndpointsInstalled) {

    public static final String FILE_NAME = "roles.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final LocalRoles NONE = new LocalRoles(false, false, false);

    /** Reads the roles; a missing or unreadable file means nothing is installed. */
    public static LocalRoles read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return NONE;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new LocalRoles(n.path("rpcProxy").path("installed").asBoolean(false),
                    n.path("rpcProxy").path("enabled").asBoolean(false),
                    n.path("rpcEndpoints").path("installed").asBoolean(false));
        } catch (IOException e) {
            return NONE;
        }
    }

    public void write(Path dataDir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("rpcProxy").put("installed", rpcProxyInstalled).put("enabled", rpcProxyEnabled);
        root.putObject("rpcEndpoints").put("installed", rpcEndpointsInstalled);
        dev.anywhere.server.config.AtomicFile.write(dataDir.resolve(FILE_NAME), JSON.writeValueAsBytes(root));
    }

    /** Registers a role in the data directory, keeping the others (gateway and endpoints start separately). */
    public static synchronized void register(Path dataDir, boolean proxy, boolean endpoints) throws IOException {
        LocalRoles r = read(dataDir);
        // A fresh install switches the proxy on; a reinstall keeps what the administrator set.
        new LocalRoles(r.rpcProxyInstalled || proxy, proxy && !r.rpcProxyInstalled || r.rpcProxyEnabled, r.rpcEndpointsInstalled || endpoints)
                .write(dataDir);
    }
}
