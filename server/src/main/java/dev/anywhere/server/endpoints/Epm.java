package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.dce.EpmStubs.Entry;
import dev.anywhere.rpc.dce.EpmStubs.LookupRequest;
import dev.anywhere.rpc.dce.EpmStubs.LookupResult;
import dev.anywhere.rpc.dce.EpmStubs.MapRequest;
import dev.anywhere.rpc.dce.EpmStubs.MapResult;
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
 * <p>Lookup handles are stateless: the context handle's UUID carries a fixed tag and the index to continue at. The
 * stubs' layouts are {@link EpmStubs}', shared with the analyzer's client.
 *
 * @see [C706] Appendix O Endpoint Mapper Interface Definition
 * @see [MS-RPCE] 2.2.1.2.5 ept_lookup, 2.2.1.2.6 ept_map (protocol identifier 0x1F for ncacn_http: [MS-RPCH] 2.1)
 */
final class Epm implements RpcHandler {

    static final SyntaxId ID = EpmStubs.INTERFACE;

    /** ept_s_not_registered: no (more) entries (the DCE code, not Win32's EPT_S_NOT_REGISTERED 0x6d9). */
    static final DceStatus EPT_S_NOT_REGISTERED = DceStatus.valueOf(0x16c9a0d6);
    /** The IDL's range(0, 500) on max_ents / max_towers. */
    static final int MAX_ENTRIES = 500;

    private static final long HANDLE_TAG = 0x616e7977_6865_7265L; // "anywhere"
    private static final UUID NIL = new UUID(0, 0);

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
                out.add(new Entry(NIL, Optional.of(t), i.annotation()));
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
        LookupRequest q = EpmStubs.decodeLookupRequest(new NdrReader(call.stub()));
        long maxEnts = q.maxEntries();
        ContextHandle handle = q.handle();
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
            if (matches(e, q.inquiryType(), q.object(), q.interfaceId(), q.versOption())) {
                matching.add(e);
            }
        }
        if (start >= matching.size() || maxEnts == 0) {
            return lookupReply(ContextHandle.NULL, (int) maxEnts, List.of(), EPT_S_NOT_REGISTERED);
        }
        int end = (int) Math.min(matching.size(), start + maxEnts);
        ContextHandle next = end < matching.size() ? new ContextHandle(0, new UUID(HANDLE_TAG, end)) : ContextHandle.NULL;
        return lookupReply(next, (int) maxEnts, matching.subList(start, end), DceStatus.SUCCESS);
    }

    static boolean matches(Entry e, int inquiryType, Optional<UUID> object, Optional<SyntaxId> ifId, int versOption) {
        boolean byIf = inquiryType == EpmStubs.RPC_C_EP_MATCH_BY_IF || inquiryType == EpmStubs.RPC_C_EP_MATCH_BY_BOTH;
        boolean byObj = inquiryType == EpmStubs.RPC_C_EP_MATCH_BY_OBJ || inquiryType == EpmStubs.RPC_C_EP_MATCH_BY_BOTH;
        if (inquiryType < EpmStubs.RPC_C_EP_ALL_ELTS || inquiryType > EpmStubs.RPC_C_EP_MATCH_BY_BOTH) {
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
            SyntaxId have = e.tower().flatMap(Tower::interfaceId).orElse(SyntaxId.NONE);
            if (!have.uuid().equals(want.uuid())) {
                return false;
            }
            return switch (versOption) {
                case EpmStubs.RPC_C_VERS_ALL -> true;
                case EpmStubs.RPC_C_VERS_COMPATIBLE -> have.major() == want.major() && have.minor() >= want.minor();
                case EpmStubs.RPC_C_VERS_EXACT -> have.major() == want.major() && have.minor() == want.minor();
                case EpmStubs.RPC_C_VERS_MAJOR_ONLY -> have.major() == want.major();
                case EpmStubs.RPC_C_VERS_UPTO -> have.major() < want.major()
                        || (have.major() == want.major() && have.minor() <= want.minor());
                default -> false;
            };
        }
        return true;
    }

    static Octets lookupReply(ContextHandle handle, int maxEnts, List<Entry> entries, DceStatus status) {
        return Octets.copyOf(EpmStubs.encodeLookupResponse(new LookupResult(entries, handle, status), maxEnts));
    }

    /**
     * ept_map: {@code [in, ptr] object, [in, ptr] map_tower, [in, out] entry_handle, [in] max_towers,
     * [out] num_towers, [out] towers[], [out] status}. Answers the towers of the interface named on floor 1 for the
     * protocol sequence of the map tower (ncacn_http or ncacn_ip_tcp).
     */
    private Octets map(RpcCall call) {
        MapRequest q = EpmStubs.decodeMapRequest(new NdrReader(call.stub()));
        Optional<Tower> mapTower = q.mapTower();
        long maxTowers = q.maxTowers();
        if (maxTowers > MAX_ENTRIES) {
            throw new RpcFaultException(DceStatus.RPC_X_BAD_STUB_DATA, "max_towers: " + maxTowers + " (expected: <= 500)");
        }
        List<Tower> found = new ArrayList<>();
        if (mapTower.isPresent() && q.handle().isNull()) {
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
        return mapReply((int) maxTowers, found, found.isEmpty() ? EPT_S_NOT_REGISTERED : DceStatus.SUCCESS);
    }

    static Octets mapReply(int maxTowers, List<Tower> towers, DceStatus status) {
        return Octets.copyOf(EpmStubs.encodeMapResponse(new MapResult(towers, ContextHandle.NULL, status), maxTowers));
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
