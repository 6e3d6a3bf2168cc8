package dev.anywhere.server.rfr;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcHandler;
import dev.anywhere.server.endpoints.RpcInterface;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The referral service: RfrGetNewDSA (0) names the server that answers NSPI (the FQDN the RPC proxy accepts as
 * RemoteName); RfrGetFQDNFromServerDN (1) turns a mailbox server's DN into its FQDN, from the directory's server
 * objects held in memory ({@link ServerNames}). Callers must be authenticated: the interface refuses anonymous
 * ones (FAULT 5), as Exchange does.
 *
 * <pre>
 * RfrGetNewDSA           in:  ulFlags u32 | pUserDN string | ppszUnused unique→unique→string | ppszServer unique→unique→string
 *                        out: ppszUnused (NULL) | ppszServer refid refid string | long
 * RfrGetFQDNFromServerDN in:  ulFlags u32 | cbMailboxServerDN u32 (10..1024) | szMailboxServerDN string (size_is cb)
 *                        out: ppszServerFQDN refid string (NULL on error) | long
 * </pre>
 * {@code string} = {@code [string] unsigned char*}: max_count, offset 0, actual_count, bytes with their NUL.
 *
 * @see [MS-OXABREF] 3.1.4.1 RfrGetNewDSA (opnum 0)
 * @see [MS-OXABREF] 3.1.4.2 RfrGetFQDNFromServerDN (opnum 1)
 */
public final class Rfr implements RpcHandler {

    /** 1544f5e0-613c-11d1-93df-00c04fd7bd09 v1.0. */
    public static final SyntaxId ID = new SyntaxId(UUID.fromString("1544f5e0-613c-11d1-93df-00c04fd7bd09"), 1, 0);
    /** MAPI_E_NOT_FOUND: no Exchange server by that name. */
    public static final long MAPI_E_NOT_FOUND = 0x8004010FL;
    /** MAPI_E_INVALID_PARAMETER (E_INVALIDARG): the DN is not a server DN. */
    public static final long MAPI_E_INVALID_PARAMETER = 0x80070057L;
    /** Longest DN accepted: the range of cbMailboxServerDN. */
    static final int MAX_DN = 1024;

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
        NdrReader r = new NdrReader(call.stub());
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        if (call.opnum() == 0) {
            r.u32("ulFlags"); // ulFlags (4 bytes): unused
            string(r, "pUserDN"); // pUserDN: the user's DN; every user gets the same NSPI server here
            stringPointerPointer(r, "ppszUnused");
            stringPointerPointer(r, "ppszServer");
            w.u32(0); // ppszUnused: NULL ([MS-OXABREF] 3.1.4.1: the server sets it to NULL)
            w.u32(0x00020000); // ppszServer: referent id of the outer pointer
            w.u32(0x00020004); // referent id of the char*
            string(w, nspiServer.get());
            w.u32(0); // return value: success
        } else {
            r.u32("ulFlags"); // ulFlags (4 bytes): unused
            long cb = r.u32("cbMailboxServerDN"); // cbMailboxServerDN (4 bytes)
            if (cb < 10 || cb > MAX_DN) {
                throw new DceProtocolException("cbMailboxServerDN: " + cb + " (expected: 10..1024, the IDL's range)");
            }
            String dn = string(r, "szMailboxServerDN");
            Optional<String> fqdn = serverName(dn).flatMap(servers::fqdn);
            if (fqdn.isPresent()) {
                w.u32(0x00020000); // ppszServerFQDN: referent id of the char*
                string(w, fqdn.get());
                w.u32(0); // return value: success
            } else {
                w.u32(0); // ppszServerFQDN: NULL
                w.u32(serverName(dn).isPresent() ? MAPI_E_NOT_FOUND : MAPI_E_INVALID_PARAMETER);
            }
        }
        // No expectEnd: Windows clients append the verification trailer ([MS-RPCE] 2.2.2.13) after the stub.
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return Octets.of(b);
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

    /** A [string] unsigned char*: conformant varying bytes whose last one is the NUL. */
    private static String string(NdrReader r, String field) {
        Octets b = r.conformantVaryingBytes(field, MAX_DN);
        if (b.length() == 0 || b.get(b.length() - 1) != 0) {
            throw new DceProtocolException(field + ": no terminating NUL (expected: a NUL-terminated string)");
        }
        return new String(b.toByteArray(), 0, b.length() - 1, StandardCharsets.ISO_8859_1);
    }

    private static void string(NdrWriter w, String s) {
        byte[] chars = s.getBytes(StandardCharsets.US_ASCII);
        byte[] withNul = java.util.Arrays.copyOf(chars, chars.length + 1);
        w.conformantVaryingBytes(Octets.of(withNul));
    }

    /** An [in,out,unique,string] char**: a unique pointer to a unique pointer to a string. */
    private static void stringPointerPointer(NdrReader r, String field) {
        if (r.i32(field + " referent id") != 0 && r.i32(field + " char* referent id") != 0) {
            string(r, field);
        }
    }
}
