package dev.anywhere.server.rfr;

import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rfr.RfrCalls;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcHandler;
import dev.anywhere.server.endpoints.RpcInterface;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The referral service: RfrGetNewDSA (0) names the server that answers NSPI (the FQDN the RPC proxy accepts as
 * RemoteName); RfrGetFQDNFromServerDN (1) turns a mailbox server's DN into its FQDN, from the directory's server
 * objects held in memory ({@link ServerNames}). Callers must be authenticated: the interface refuses anonymous
 * ones (FAULT 5), as Exchange does. The wire forms are {@link RfrCalls}', shared with the analyzer's client.
 *
 * @see [MS-OXABREF] 3.1.4.1 RfrGetNewDSA (opnum 0)
 * @see [MS-OXABREF] 3.1.4.2 RfrGetFQDNFromServerDN (opnum 1)
 */
public final class Rfr implements RpcHandler {

    /** 1544f5e0-613c-11d1-93df-00c04fd7bd09 v1.0. */
    public static final SyntaxId ID = RfrCalls.INTERFACE;

    private final Supplier<String> nspiServer;
    private final ServerNames servers;

    /**
     * @param nspiServer the FQDN RfrGetNewDSA answers (a name the RPC proxy accepts, e.g. ex1.frankysweb.local)
     * @param servers the site's servers by short name
     */
    public Rfr(Supplier<String> nspiServer, ServerNames servers) {
        this.nspiServer = nspiServer;
        this.servers = servers;
    }

    /** The RFR interface, refusing anonymous callers, advertised on every ncacn_http port (6002 and 6004 among them). */
    public static RpcInterface iface(Supplier<String> nspiServer, ServerNames servers) {
        return new RpcInterface(ID, "MS Exchange Directory RFR Interface", 2, new Rfr(nspiServer, servers))
                .refusingAnonymous();
    }

    @Override
    public Octets invoke(RpcCall call) {
        if (call.opnum() == RfrCalls.GetNewDsa.OPNUM) {
            RfrCalls.GetNewDsa.decode(call.stub()); // pUserDN: every user gets the same NSPI server here
            // ppszUnused: NULL ([MS-OXABREF] 3.1.4.1: the server sets it to NULL)
            return new RfrCalls.GetNewDsaResult(Optional.empty(), Optional.of(nspiServer.get()), RfrCalls.SUCCESS).encode();
        }
        String dn = RfrCalls.GetFqdnFromServerDn.decode(call.stub()).serverDn();
        Optional<String> fqdn = serverName(dn).flatMap(servers::fqdn);
        int code = fqdn.isPresent() ? RfrCalls.SUCCESS
                : serverName(dn).isPresent() ? RfrCalls.NOT_FOUND : RfrCalls.INVALID_PARAMETER;
        return new RfrCalls.GetFqdnResult(fqdn, code).encode();
    }

    /**
     * The server's short name in {@code /o=ORG/ou=GROUP/cn=Configuration/cn=Servers/cn=NAME[/cn=…]} (any case), or
     * empty when {@code dn} is not such a DN.
     */
    static Optional<String> serverName(String dn) {
        String lower = dn.toLowerCase(Locale.ROOT);
        String marker = "/cn=configuration/cn=servers/cn=";
        int at = lower.indexOf(marker);
        if (!lower.startsWith("/o=") || !lower.contains("/ou=") || at < 0) {
            return Optional.empty();
        }
        String rest = dn.substring(at + marker.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
