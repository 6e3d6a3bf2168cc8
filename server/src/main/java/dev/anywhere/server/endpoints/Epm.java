package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The endpoint mapper (EPM, {@code e1af8308-5d1f-11c9-91a4-08002b14a0fa} v3.0): ept_lookup (opnum 2) and ept_map
 * (opnum 3) over the interfaces this server serves. Every interface except the endpoint mapper itself is listed
 * with an ncacn_http tower per port (its preferred port if it has one and it is bound, else every ncacn_http port)
 * and an ncacn_ip_tcp tower when that listener is enabled; the IP floor carries the address the caller connected to.
 * Opnums 0, 1, 4, 5, 6 (insert, delete, lookup_handle_free, inq_object, mgmt_delete) answer
 * {@code ERROR_ACCESS_DENIED} as status, as a read-only mapper.
 *
 * <p>Lookup handles are stateless: the context handle's UUID carries a fixed tag and the index to continue at.
 *
 * @see [C706] Appendix O Endpoint Mapper Interface Definition
 * @see [MS-RPCE] 2.2.1.2.5 ept_lookup, 2.2.1.2.6 ept_map (protocol identifier 0x1F for ncacn_http: [MS-RPCH] 2.1)
 */
final class Epm implements RpcHandler {

    static final SyntaxId ID = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    /** ept_s_not_registered: no (more) entries. */
    static final long EPT_S_NOT_REGISTERED = 0x16c9a0d6L;
    /** The IDL's range(0, 500) on max_ents / max_towers. */
    static final int MAX_ENTRIES = 500;

    static final int RPC_C_EP_ALL_ELTS = 0;
    static final int RPC_C_EP_MATCH_BY_IF = 1;
    static final int RPC_C_EP_MATCH_BY_OBJ = 2;
    static final int RPC_C_EP_MATCH_BY_BOTH = 3;
    static final int RPC_C_VERS_ALL = 1;
    static final int RPC_C_VERS_COMPATIBLE = 2;
    static final int RPC_C_VERS_EXACT = 3;
    static final int RPC_C_VERS_MAJOR_ONLY = 4;
    static final int RPC_C_VERS_UPTO = 5;

    private static final long HANDLE_TAG = 0x616e7977_6865_7265L; // "anywhere"
    private static final UUID NIL = new UUID(0, 0);

    /** One ept_entry_t. */
    record Entry(UUID object, Tower tower, String annotation) {}

    private final EndpointServer server;

    Epm(EndpointServer server) {
        this.server = server;
    }

    @Override
    public Octets invoke(RpcCall call) {
        return switch (call.opnum()) {
            case 2 -> lookup(call);
            case 3 -> map(call);
            case 4 -> status(ContextHandle.NULL, DceStatus.SUCCESS.code()); // ept_lookup_handle_free: handles are stateless
            case 5 -> inqObject(); // ept_inq_object: the nil object
            default -> statusOnly(DceStatus.ACCESS_DENIED.code());
        };
    }

    /** Every entry the mapper knows, in a fixed order, with the IP floor {@code host}. */
    List<Entry> entries(Inet4Address host) {
        List<Entry> out = new ArrayList<>();
        for (RpcInterface i : server.interfaces().all()) {
            if (i.id().equals(ID)) {
                continue;
            }
            for (Tower t : towers(i, host)) {
                out.add(new Entry(NIL, t, i.annotation()));
            }
        }
        return out;
    }

    /** The towers of {@code iface}: ncacn_http ones first, then ncacn_ip_tcp. */
    List<Tower> towers(RpcInterface iface, Inet4Address host) {
        List<Tower> out = new ArrayList<>();
        List<Integer> ports = server.httpPorts();
        if (iface.httpPort().isPresent() && ports.contains(iface.httpPort().get())) {
            out.add(Tower.ncacnHttp(iface.id(), host, iface.httpPort().get()));
        } else {
            for (int p : ports) {
                out.add(Tower.ncacnHttp(iface.id(), host, p));
            }
        }
        OptionalInt tcp = server.tcpPort();
        if (tcp.isPresent()) {
            out.add(Tower.ncacnIpTcp(iface.id(), host, tcp.getAsInt()));
        }
        return out;
    }

    /**
     * ept_lookup: {@code [in] inquiry_type, [in, ptr] object, [in, ptr] interface_id, [in] vers_option,
     * [in, out] entry_handle, [in] max_ents, [out] num_ents, [out] entries[], [out] status}.
     */
    private Octets lookup(RpcCall call) {
        NdrReader r = new NdrReader(call.stub());
        long inquiryType = r.u32("inquiry_type"); // inquiry_type (4 bytes)
        Optional<UUID> object = r.topLevelUnique("object", x -> x.uuid("object")); // [ptr] uuid_p_t
        Optional<SyntaxId> ifId = r.topLevelUnique("interface_id", x -> { // [ptr] rpc_if_id_p_t
            UUID uuid = x.uuid("if_id uuid"); // uuid (16 bytes)
            int major = x.u16("vers_major"); // vers_major (2 bytes)
            int minor = x.u16("vers_minor"); // vers_minor (2 bytes)
            return new SyntaxId(uuid, major, minor);
        });
        long versOption = r.u32("vers_option"); // vers_option (4 bytes)
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long maxEnts = r.u32("max_ents"); // max_ents (4 bytes)
        r.expectEnd("ept_lookup request");
        if (maxEnts > MAX_ENTRIES) {
            throw new RpcFaultException(DceStatus.RPC_X_BAD_STUB_DATA, "max_ents: " + maxEnts + " (expected: <= 500)");
        }
        int start = 0;
        if (!handle.isNull()) {
            if (handle.uuid().getMostSignificantBits() != HANDLE_TAG) {
                return lookupReply(ContextHandle.NULL, (int) maxEnts, List.of(), EPT_S_NOT_REGISTERED);
            }
            start = (int) Math.min(handle.uuid().getLeastSignificantBits(), Integer.MAX_VALUE);
        }
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries(ipFloor(call.local()))) {
            if (matches(e, (int) inquiryType, object, ifId, (int) versOption)) {
                matching.add(e);
            }
        }
        if (start >= matching.size() || maxEnts == 0) {
            return lookupReply(ContextHandle.NULL, (int) maxEnts, List.of(), EPT_S_NOT_REGISTERED);
        }
        int end = (int) Math.min(matching.size(), start + maxEnts);
        ContextHandle next = end < matching.size() ? new ContextHandle(0, new UUID(HANDLE_TAG, end)) : ContextHandle.NULL;
        return lookupReply(next, (int) maxEnts, matching.subList(start, end), 0);
    }

    static boolean matches(Entry e, int inquiryType, Optional<UUID> object, Optional<SyntaxId> ifId, int versOption) {
        boolean byIf = inquiryType == RPC_C_EP_MATCH_BY_IF || inquiryType == RPC_C_EP_MATCH_BY_BOTH;
        boolean byObj = inquiryType == RPC_C_EP_MATCH_BY_OBJ || inquiryType == RPC_C_EP_MATCH_BY_BOTH;
        if (inquiryType < RPC_C_EP_ALL_ELTS || inquiryType > RPC_C_EP_MATCH_BY_BOTH) {
            return false;
        }
        if (byObj && !e.object().equals(object.orElse(NIL))) {
            return false;
        }
        if (byIf) {
            if (ifId.isEmpty()) {
                return false;
            }
            SyntaxId want = ifId.get();
            SyntaxId have = e.tower().interfaceId().orElse(SyntaxId.NONE);
            if (!have.uuid().equals(want.uuid())) {
                return false;
            }
            return switch (versOption) {
                case RPC_C_VERS_ALL -> true;
                case RPC_C_VERS_COMPATIBLE -> have.major() == want.major() && have.minor() >= want.minor();
                case RPC_C_VERS_EXACT -> have.major() == want.major() && have.minor() == want.minor();
                case RPC_C_VERS_MAJOR_ONLY -> have.major() == want.major();
                case RPC_C_VERS_UPTO -> have.major() < want.major()
                        || (have.major() == want.major() && have.minor() <= want.minor());
                default -> false;
            };
        }
        return true;
    }

    static Octets lookupReply(ContextHandle handle, int maxEnts, List<Entry> entries, long status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out, 1, 1); // Windows' EPM numbers referents 1, 2, …
        w.contextHandle(handle); // entry_handle (20 bytes)
        w.u32(entries.size()); // num_ents (4 bytes)
        w.conformantVaryingArray(Math.max(maxEnts, entries.size()), entries, (x, e) -> { // entries[]
            x.uuid(e.object()); // object (16 bytes)
            x.fullPointer(e.tower(), NdrWriter::tower); // tower (twr_p_t, deferred)
            x.varyingAsciiString(e.annotation()); // annotation ([string] char[64])
        });
        w.flushDeferred();
        w.u32(status); // status (4 bytes)
        return Octets.copyOf(out);
    }

    /**
     * ept_map: {@code [in, ptr] object, [in, ptr] map_tower, [in, out] entry_handle, [in] max_towers,
     * [out] num_towers, [out] towers[], [out] status}. Answers the towers of the interface named on floor 1 for the
     * protocol sequence of the map tower (ncacn_http or ncacn_ip_tcp).
     */
    private Octets map(RpcCall call) {
        NdrReader r = new NdrReader(call.stub());
        r.topLevelUnique("object", x -> x.uuid("object")); // [ptr] uuid_p_t object
        Optional<Tower> mapTower = r.topLevelUnique("map_tower", x -> x.tower("map_tower", 4096)); // [ptr] twr_p_t
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long maxTowers = r.u32("max_towers"); // max_towers (4 bytes)
        r.expectEnd("ept_map request");
        if (maxTowers > MAX_ENTRIES) {
            throw new RpcFaultException(DceStatus.RPC_X_BAD_STUB_DATA, "max_towers: " + maxTowers + " (expected: <= 500)");
        }
        List<Tower> found = new ArrayList<>();
        if (mapTower.isPresent() && handle.isNull()) {
            Tower t = mapTower.get();
            Optional<SyntaxId> iface = t.interfaceId();
            Optional<String> protseq = t.protocolSequence();
            Optional<RpcInterface> served = iface.flatMap(server.interfaces()::find);
            if (served.isPresent() && t.transferSyntax().filter(SyntaxId.NDR::equals).isPresent() && protseq.isPresent()) {
                for (Tower candidate : towers(served.get(), ipFloor(call.local()))) {
                    if (candidate.protocolSequence().equals(protseq) && found.size() < maxTowers) {
                        found.add(candidate);
                    }
                }
            }
        }
        return mapReply((int) maxTowers, found, found.isEmpty() ? EPT_S_NOT_REGISTERED : 0);
    }

    static Octets mapReply(int maxTowers, List<Tower> towers, long status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out, 1, 1);
        w.contextHandle(ContextHandle.NULL); // entry_handle (20 bytes)
        w.u32(towers.size()); // num_towers (4 bytes)
        w.conformantVaryingArray(Math.max(maxTowers, towers.size()), towers, (x, t) -> x.fullPointer(t, NdrWriter::tower));
        w.flushDeferred();
        w.u32(status); // status (4 bytes)
        return Octets.copyOf(out);
    }

    private static Octets status(ContextHandle handle, long status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.contextHandle(handle);
        w.u32(status);
        return Octets.copyOf(out);
    }

    private static Octets inqObject() {
        ByteBuf out = Unpooled.buffer(20);
        new NdrWriter(out).uuid(NIL).u32(0); // ept_object (16 bytes), status (4 bytes)
        return Octets.copyOf(out);
    }

    private static Octets statusOnly(long status) {
        ByteBuf out = Unpooled.buffer(4);
        new NdrWriter(out).u32(status);
        return Octets.copyOf(out);
    }

    /** The address for the IP floor: the local IPv4 address of the call, else 0.0.0.0. */
    static Inet4Address ipFloor(InetSocketAddress local) {
        if (local != null && local.getAddress() instanceof Inet4Address a && !a.isAnyLocalAddress()) {
            return a;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
