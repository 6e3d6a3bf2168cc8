package dev.anywhere.server.emsmdb;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.EcDummyRpc;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.EmsmdbFormatException;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RopRequest;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcFaultException;
import dev.anywhere.server.endpoints.RpcHandler;
import dev.anywhere.server.endpoints.RpcInterface;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store endpoint's EMSMDB interface as Exchange 2010 answers a mailbox logon, without a message store:
 * EcDoConnectEx opens a session for the authenticated owner of {@code szUserDN}, EcDoRpcExt2 serves RopLogon for
 * that mailbox (and RopRelease), EcDoDisconnect closes the session, EcDummyRpc answers 0. Every other opnum is
 * reserved or not served and faults with {@code nca_s_op_rng_error}.
 *
 * <p>Exchange 2010's defaults decide: sealed bindings are required ({@code EncryptionRequired}, else
 * ecNotEncrypted), szUserDN must belong to the authenticated account (else ecAccessDenied), RopLogon needs
 * USE_PER_MDB_REPLID_MAPPING (else ecInvalidParam), a mailbox held by another server gets the ecWrongServer
 * redirect. Requests may be compressed and obfuscated; responses are plain, flagged Last, and carry no auxiliary
 * data (auxiliary input is accepted and ignored whatever its block types).
 *
 * <p>Runs on the event loop: the directory is the in-memory {@link MailboxDirectory}, sessions live in the
 * association's scope, nothing blocks.
 *
 * @see [MS-OXCRPC] 3.1.4 Message Processing Events and Sequencing Rules
 * @see [MS-OXCSTOR] 3.2.5.1 (RopLogon on the server)
 */
public final class EmsmdbService implements RpcHandler {

    private static final Logger log = LoggerFactory.getLogger(EmsmdbService.class);

    /** Exchange 2010 SP3 (14.3.123.3) in the high-bit form. */
    public static final ProtocolVersion EXCHANGE_2010_SP3 = ProtocolVersion.of(14, 3, 123, 3);
    /** What Exchange tells clients about polling and retries: poll every 60 s, retry 6 times 10 s apart. */
    static final long POLLS_MAX_MS = 60_000;
    static final long RETRY_COUNT = 6;
    static final long RETRY_DELAY_MS = 10_000;

    /**
     * How the endpoint behaves.
     *
     * @param serverName this server's short name (EX1); a mailbox homed on another server is redirected there
     *     (empty: every mailbox is local)
     * @param dnPrefix EcDoConnectEx's szDNPrefix
     * @param serverVersion rgwServerVersion
     * @param encryptionRequired refuse unsealed bindings with ecNotEncrypted (Exchange 2010's default: true)
     * @param maxSessions session contexts per association; EcDoConnectEx beyond it gets {@link #SESSIONS_EXHAUSTED}
     */
    public record Options(String serverName, String dnPrefix, ProtocolVersion serverVersion, boolean encryptionRequired,
            int maxSessions) {
        public Options {
            Objects.requireNonNull(serverName, "serverName");
            Objects.requireNonNull(dnPrefix, "dnPrefix");
            Objects.requireNonNull(serverVersion, "serverVersion");
            if (maxSessions <= 0) {
                throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: > 0)");
            }
        }

        /** Exchange 2010 SP3 requiring encryption, 32 sessions per association. */
        public static Options exchange2010(String serverName, String dnPrefix) {
            return new Options(serverName, dnPrefix, EXCHANGE_2010_SP3, true, 32);
        }

        public Options withEncryptionRequired(boolean required) {
            return new Options(serverName, dnPrefix, serverVersion, required, maxSessions);
        }
    }

    /** ecServerOOM ([MS-OXCDATA] 2.4.2): what EcDoConnectEx answers when the association has too many sessions. */
    public static final int SESSIONS_EXHAUSTED = 0x0000_03F0;

    private final Options options;
    private final MailboxDirectory directory;
    private final Clock clock;

    public EmsmdbService(Options options, MailboxDirectory directory, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * This service as the interface the endpoints register: advertised by the endpoint mapper on 6001, refusing
     * anonymous callers at the RPC level (FAULT 5) as Exchange's store does.
     */
    public RpcInterface asInterface() {
        return new RpcInterface(Emsmdb.INTERFACE, Emsmdb.ANNOTATION, Emsmdb.OPNUM_COUNT, Optional.of(6001), this)
                .refusingAnonymous();
    }

    @Override
    public Octets invoke(RpcCall call) {
        EmsmdbSessions sessions = call.association().get(EmsmdbSessions.class, EmsmdbSessions::new);
        return switch (call.opnum()) {
            case EcDoConnectEx.OPNUM -> connect(call, sessions).encode();
            case EcDoRpcExt2.OPNUM -> rpc(EcDoRpcExt2.Request.decode(call.stub()), sessions).encode();
            case EcDoDisconnect.OPNUM -> disconnect(EcDoDisconnect.Request.decode(call.stub()), sessions).encode();
            case EcDummyRpc.OPNUM -> {
                EcDummyRpc.decodeRequest(call.stub());
                yield EcDummyRpc.encodeResponse(EcCode.NONE);
            }
            default -> throw new RpcFaultException(DceStatus.NCA_S_OP_RNG_ERROR,
                    "EMSMDB opnum " + call.opnum() + " is reserved or not served");
        };
    }

    private EcDoConnectEx.Response connect(RpcCall call, EmsmdbSessions sessions) {
        EcDoConnectEx.Request q = EcDoConnectEx.Request.decode(call.stub());
        // The binding's protection is checked first (ruler answers ecNotEncrypted with "try --encrypt"), then
        // whether szUserDN is the mailbox of the account the NTLM AUTHENTICATE named (its domain is not compared).
        int refused = refusal(q, call.security(), sessions);
        if (refused != EcCode.NONE) {
            log.debug("emsmdb: EcDoConnectEx for {} refused: {}", q.userDn(), EcCode.describe(refused));
            return EcDoConnectEx.Response.failure(refused, options.serverVersion(), q.clientVersion(), q.timeStamp());
        }
        MailboxIdentity mailbox = directory.byLegacyDn(q.userDn()).orElseThrow();
        EmsmdbSessions.Session session = sessions.open(mailbox);
        return new EcDoConnectEx.Response(session.cxh, POLLS_MAX_MS, RETRY_COUNT, RETRY_DELAY_MS, session.icxr,
                options.dnPrefix(), mailbox.displayName(), options.serverVersion(), q.clientVersion(), q.timeStamp(),
                Octets.EMPTY, EcCode.NONE);
    }

    /** Why EcDoConnectEx is refused, the binding's protection first; {@link EcCode#NONE} when it is not. */
    private int refusal(EcDoConnectEx.Request q, CallSecurity caller, EmsmdbSessions sessions) {
        if (options.encryptionRequired() && caller.level() != CallSecurity.Level.PRIVACY) {
            return EcCode.NOT_ENCRYPTED;
        }
        Optional<MailboxIdentity> mailbox = directory.byLegacyDn(q.userDn());
        if (mailbox.isEmpty()) {
            return EcCode.UNKNOWN_USER;
        }
        if (caller.anonymous() || !caller.user().equalsIgnoreCase(mailbox.get().account())) {
            return EcCode.ACCESS_DENIED;
        }
        if (sessions.size() >= options.maxSessions()) {
            return SESSIONS_EXHAUSTED;
        }
        return EcCode.NONE;
    }

    private EcDoRpcExt2.Response rpc(EcDoRpcExt2.Request q, EmsmdbSessions sessions) {
        long started = System.nanoTime();
        EmsmdbSessions.Session session = sessions.find(q.cxh()).orElseThrow(() ->
                new RpcFaultException(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "EcDoRpcExt2: unknown session context handle"));
        Optional<Octets> payload;
        try {
            payload = execute(RopBuffer.decode(RpcHeaderExt.unwrap(q.rgbIn())), session);
        } catch (EmsmdbFormatException e) {
            log.debug("emsmdb: EcDoRpcExt2 request buffer refused: {}", e.getMessage());
            return new EcDoRpcExt2.Response(q.cxh(), 0, Octets.EMPTY, Octets.EMPTY, 0, EcCode.RPC_FORMAT);
        }
        Octets out = payload.map(p -> RpcHeaderExt.wrap(p, false, false)).orElse(Octets.EMPTY);
        if (payload.isEmpty() || out.length() > q.maxOut()) {
            return new EcDoRpcExt2.Response(q.cxh(), 0, Octets.EMPTY, Octets.EMPTY, 0, EcCode.BUFFER_TOO_SMALL);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        return new EcDoRpcExt2.Response(q.cxh(), 0, out, Octets.EMPTY, ms, EcCode.NONE);
    }

    /**
     * Runs the ROPs of one request; returns the response payload (ROP responses and the handle table), or empty when
     * it does not fit one unchained RPC_HEADER_EXT (65535 bytes).
     */
    private Optional<Octets> execute(RopBuffer in, EmsmdbSessions.Session session) {
        List<Integer> handles = new ArrayList<>(in.handles());
        ByteBuf responses = Unpooled.buffer();
        for (RopRequest rop : RopRequest.parse(in.rops())) {
            if (rop instanceof RopLogon.Request logon) {
                if (logon.outputHandleIndex() >= handles.size()) {
                    throw new EmsmdbFormatException("RopLogon OutputHandleIndex: " + logon.outputHandleIndex()
                            + " (expected: < " + handles.size() + ", the handle table's size)");
                }
                RopLogon.Response r = logon(logon, session);
                if (r instanceof RopLogon.Success) {
                    handles.set(logon.outputHandleIndex(), session.newObjectHandle());
                }
                r.writeTo(responses);
            } else if (rop instanceof RopRequest.Unsupported u) {
                RopRequest.writeError(responses, u.ropId(), u.handleIndex(), EcCode.NOT_SUPPORTED);
            }
            // RopRelease has no response; there is no object behind a handle to free.
        }
        if (2 + responses.readableBytes() + 4L * handles.size() > 0xFFFF) {
            return Optional.empty();
        }
        return Optional.of(new RopBuffer(Octets.copyOf(responses), handles).encode());
    }

    /** RopLogon for the session's own private mailbox ([MS-OXCSTOR] 3.2.5.1). */
    private RopLogon.Response logon(RopLogon.Request q, EmsmdbSessions.Session session) {
        int out = q.outputHandleIndex();
        if ((q.logonFlags() & RopLogon.PRIVATE) == 0) {
            return new RopLogon.Failure(out, EcCode.NOT_SUPPORTED); // no public folders here
        }
        if ((q.openFlags() & RopLogon.USE_PER_MDB_REPLID_MAPPING) == 0) {
            return new RopLogon.Failure(out, EcCode.INVALID_PARAMETER);
        }
        Optional<MailboxIdentity> found = directory.byLegacyDn(q.essdn());
        if (found.isEmpty()) {
            return new RopLogon.Failure(out, EcCode.UNKNOWN_USER);
        }
        MailboxIdentity mailbox = found.get();
        if (!mailbox.legacyExchangeDn().equalsIgnoreCase(session.mailbox.legacyExchangeDn())) {
            return new RopLogon.Failure(out, EcCode.ACCESS_DENIED); // only the owner's own mailbox
        }
        if (!options.serverName().isEmpty() && !mailbox.homeServer().equalsIgnoreCase(options.serverName())) {
            return new RopLogon.Redirect(out, q.logonFlags(), mailbox.homeServerDn());
        }
        return new RopLogon.Success(out, q.logonFlags(), SpecialFolders.of(mailbox.mailboxGuid()),
                RopLogon.OWNER_RESPONSE_FLAGS, mailbox.mailboxGuid(), SpecialFolders.REPLICA_ID,
                SpecialFolders.replicaGuid(mailbox.mailboxGuid()),
                LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withNano(0), 0, 0);
    }

    private EcDoDisconnect.Response disconnect(EcDoDisconnect.Request q, EmsmdbSessions sessions) {
        if (!sessions.close(q.cxh())) {
            throw new RpcFaultException(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "EcDoDisconnect: unknown session context handle");
        }
        return new EcDoDisconnect.Response(ContextHandle.NULL, EcCode.NONE);
    }
}
