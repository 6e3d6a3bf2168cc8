package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.ntlm.NegotiateFlag;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.emsmdb.EmsmdbService;
import dev.anywhere.server.emsmdb.MailboxIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store interface on real endpoints (ncacn_ip_tcp on loopback): NTLM binds at PKT_PRIVACY log on, a signed but
 * unsealed binding meets Exchange 2010's ecNotEncrypted, and a session handle means nothing on another association.
 */
class EmsmdbEndpointTest {

    static final ServerIdentity EX1 = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local",
            "frankysweb.local", "frankysweb.local");
    static final String SERVER_DN = "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1";
    static final String ALICE_DN = "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";
    static final MailboxIdentity ALICE = new MailboxIdentity(ALICE_DN, "alice", "Alice", UUID.randomUUID(), "EX1", SERVER_DN);
    static final int CTX = 7;

    RpcEndpoints endpoints;

    @BeforeEach
    void start() throws Exception {
        EmsmdbService store = new EmsmdbService(EmsmdbService.Options.exchange2010("EX1", ""),
                dn -> dn.equalsIgnoreCase(ALICE_DN) ? Optional.of(ALICE) : Optional.empty(), Clock.systemUTC());
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of()).withTcpPort(0).withExtra(new InterfaceRegistry().register(store.asInterface()))
                .withAuthentication(DceAuthentication.of(EX1, (domain, user) -> user.equalsIgnoreCase("alice")
                        ? Optional.of(NtHash.of("Passw0rd!")) : Optional.empty())));
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    /** One association bound to EMSMDB as alice at {@code level}. */
    final class Association implements AutoCloseable {
        final Peer peer;
        final PduSecurity security;
        int callId = 2;

        Association(int level) throws Exception {
            peer = new Peer(endpoints.tcpPort().getAsInt(), false);
            NtlmClient ntlm = new NtlmClient(NtlmCredentials.ofPassword("FRANKYSWEB", "alice", "Passw0rd!"), "NOTEBOOK");
            peer.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, Emsmdb.INTERFACE)),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, CTX, Octets.of(ntlm.negotiate())))));
            DcePdu.BindAck ack = (DcePdu.BindAck) peer.readDce();
            byte[] authenticate = ntlm.authenticate(ack.auth().orElseThrow().authValue().toByteArray());
            peer.send(new DcePdu.Auth3(PfcFlag.SINGLE_FRAGMENT, 1, Octets.zeros(4),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, CTX, Octets.of(authenticate)))));
            security = new PduSecurity(level, CTX, NtlmSession.of(NtlmSession.Role.CLIENT, ntlm.exportedSessionKey(),
                    EnumSet.allOf(NegotiateFlag.class)));
        }

        DcePdu call(int opnum, Octets stub) throws Exception {
            ByteBuf b = security.protect(new DcePdu.Request(callId++, 0, opnum, stub), ByteBufAllocator.DEFAULT);
            try {
                peer.send(ByteBufUtil.getBytes(b));
            } finally {
                b.release();
            }
            byte[] pdu = peer.readPdu();
            return pdu[2] == 2 ? security.unprotect(Unpooled.wrappedBuffer(pdu)) : DceCodec.decode(Unpooled.wrappedBuffer(pdu));
        }

        Octets stub(int opnum, Octets stub) throws Exception {
            return ((DcePdu.Response) call(opnum, stub)).stub();
        }

        EcDoConnectEx.Response connect() throws Exception {
            return EcDoConnectEx.Response.decode(stub(EcDoConnectEx.OPNUM,
                    EcDoConnectEx.Request.outlook(ALICE_DN, ProtocolVersion.of(14, 0, 6023, 1000)).encode()));
        }

        @Override
        public void close() throws Exception {
            peer.close();
        }
    }

    static Octets logonRequest(ContextHandle cxh) {
        ByteBuf rop = Unpooled.buffer();
        RopLogon.Request.privateMailbox(0, 0, ALICE_DN).writeTo(rop);
        return new EcDoRpcExt2.Request(cxh, 0, RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(rop),
                List.of(RopBuffer.NO_HANDLE)).encode(), true, true), Emsmdb.MAX_RGB, Octets.EMPTY, 0).encode();
    }

    @Test
    void sealedBindingLogsOnAndDisconnects() throws Exception {
        try (Association a = new Association(AuthVerifier.LEVEL_PKT_PRIVACY)) {
            EcDoConnectEx.Response c = a.connect();
            assertThat(c.returnValue()).isEqualTo(EcCode.NONE);
            EcDoRpcExt2.Response r = EcDoRpcExt2.Response.decode(a.stub(EcDoRpcExt2.OPNUM, logonRequest(c.cxh())));
            RopLogon.Response logon = RopLogon.readResponse(RopBuffer.decode(RpcHeaderExt.unwrap(r.rgbOut())).rops());
            assertThat(logon).isInstanceOfSatisfying(RopLogon.Success.class,
                    s -> assertThat(s.mailboxGuid()).isEqualTo(ALICE.mailboxGuid()));
            EcDoDisconnect.Response d = EcDoDisconnect.Response.decode(a.stub(EcDoDisconnect.OPNUM,
                    new EcDoDisconnect.Request(c.cxh()).encode()));
            assertThat(d).isEqualTo(new EcDoDisconnect.Response(ContextHandle.NULL, EcCode.NONE));
        }
    }

    @Test
    void signedButUnsealedBindingGetsEcNotEncrypted() throws Exception {
        try (Association a = new Association(AuthVerifier.LEVEL_PKT_INTEGRITY)) {
            EcDoConnectEx.Response c = a.connect();
            assertThat(c.returnValue()).isEqualTo(EcCode.NOT_ENCRYPTED);
            assertThat(c.cxh()).isEqualTo(ContextHandle.NULL);
        }
    }

    @Test
    void aSessionHandleIsUnknownOnAnotherAssociation() throws Exception {
        try (Association first = new Association(AuthVerifier.LEVEL_PKT_PRIVACY);
                Association second = new Association(AuthVerifier.LEVEL_PKT_PRIVACY)) {
            ContextHandle cxh = first.connect().cxh();
            DcePdu answer = second.call(EcDoRpcExt2.OPNUM, logonRequest(cxh));
            assertThat(answer).isInstanceOfSatisfying(DcePdu.Fault.class,
                    f -> assertThat(f.status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH));
        }
    }
}
