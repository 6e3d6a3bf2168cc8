package dev.anywhere.server.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.EcDummyRpc;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.AssociationScope;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcFaultException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store endpoint as Exchange 2010 answers a mailbox logon: every check, every ROP outcome, session handles. */
class EmsmdbServiceTest {

    static final String EX1 = "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1";
    static final String EX2 = EX1.replace("cn=EX1", "cn=EX2");
    static final String ALICE_DN = "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";
    static final String BOB_DN = ALICE_DN.replace("alice", "bob");
    static final String CAROL_DN = ALICE_DN.replace("alice", "carol");
    static final MailboxIdentity ALICE = new MailboxIdentity(ALICE_DN, "alice", "Alice Andersen",
            UUID.fromString("11111111-2222-3333-4444-555555555555"), "EX1", EX1);
    static final MailboxIdentity BOB = new MailboxIdentity(BOB_DN, "bob", "Bob", UUID.randomUUID(), "ex1", EX1);
    /** Moved to EX2. */
    static final MailboxIdentity CAROL = new MailboxIdentity(CAROL_DN, "carol", "Carol", UUID.randomUUID(), "EX2", EX2);
    static final Map<String, MailboxIdentity> MAILBOXES = Map.of(ALICE_DN.toLowerCase(), ALICE,
            BOB_DN.toLowerCase(), BOB, CAROL_DN.toLowerCase(), CAROL);
    static final Instant NOW = Instant.parse("2026-12-06T14:30:05Z");
    static final ProtocolVersion OUTLOOK_2010 = ProtocolVersion.of(14, 0, 4760, 1000);

    final EmsmdbService service = new EmsmdbService(EmsmdbService.Options.exchange2010("EX1", ""),
            dn -> Optional.ofNullable(MAILBOXES.get(dn.toLowerCase())), Clock.fixed(NOW, ZoneOffset.UTC));
    final AssociationScope association = new AssociationScope();

    static CallSecurity sealed(String user) {
        return new CallSecurity(CallSecurity.Level.PRIVACY, user, "FRANKYSWEB");
    }

    Octets invoke(int opnum, Octets stub, CallSecurity security, AssociationScope scope) {
        return service.invoke(new RpcCall(Emsmdb.INTERFACE, opnum, stub, Optional.empty(), 1,
                RpcCall.Transport.NCACN_HTTP_V2, null, null, security, scope));
    }

    EcDoConnectEx.Response connect(String dn, CallSecurity security) {
        return EcDoConnectEx.Response.decode(invoke(EcDoConnectEx.OPNUM,
                EcDoConnectEx.Request.outlook(dn, OUTLOOK_2010).encode(), security, association));
    }

    ContextHandle connectAlice() {
        EcDoConnectEx.Response r = connect(ALICE_DN, sealed("alice"));
        assertThat(r.returnValue()).isEqualTo(EcCode.NONE);
        return r.cxh();
    }

    static Octets rops(long openFlags, String... essdns) {
        ByteBuf b = Unpooled.buffer();
        for (String dn : essdns) {
            new RopLogon.Request(0, 0, RopLogon.PRIVATE, openFlags, 0, dn).writeTo(b);
        }
        return Octets.copyOf(b);
    }

    EcDoRpcExt2.Response rpc(ContextHandle cxh, Octets rgbIn, long maxOut) {
        return EcDoRpcExt2.Response.decode(invoke(EcDoRpcExt2.OPNUM,
                new EcDoRpcExt2.Request(cxh, 0, rgbIn, maxOut, Octets.EMPTY, Emsmdb.MAX_AUX).encode(), sealed("alice"),
                association));
    }

    static Octets request(Octets rops, boolean compress, boolean xor) {
        return RpcHeaderExt.wrap(new RopBuffer(rops, List.of(RopBuffer.NO_HANDLE)).encode(), compress, xor);
    }

    static RopBuffer payload(EcDoRpcExt2.Response r) {
        return RopBuffer.decode(RpcHeaderExt.unwrap(r.rgbOut()));
    }

    static RopLogon.Response logonResponse(RopBuffer b) {
        return RopLogon.readResponse(b.rops());
    }

    @Test
    void unsealedBindingIsRefusedWithEcNotEncrypted() {
        EcDoConnectEx.Response r = connect(ALICE_DN, new CallSecurity(CallSecurity.Level.INTEGRITY, "alice", "FRANKYSWEB"));
        assertThat(r.returnValue()).isEqualTo(EcCode.NOT_ENCRYPTED);
        assertThat(r.cxh()).isEqualTo(ContextHandle.NULL);
        assertThat(r.serverVersion()).hasToString("14.3.123.3");
    }

    @Test
    void withoutTheEncryptionRequirementAnAuthenticatedUnsealedCallerConnects() {
        EmsmdbService relaxed = new EmsmdbService(EmsmdbService.Options.exchange2010("EX1", "").withEncryptionRequired(false),
                dn -> Optional.ofNullable(MAILBOXES.get(dn.toLowerCase())), Clock.systemUTC());
        Octets out = relaxed.invoke(new RpcCall(Emsmdb.INTERFACE, EcDoConnectEx.OPNUM,
                EcDoConnectEx.Request.outlook(ALICE_DN, OUTLOOK_2010).encode(), Optional.empty(), 1,
                RpcCall.Transport.NCACN_HTTP_V2, null, null, new CallSecurity(CallSecurity.Level.CONNECT, "alice", "")));
        assertThat(EcDoConnectEx.Response.decode(out).returnValue()).isEqualTo(EcCode.NONE);
    }

    @Test
    void userDnMustBelongToTheAuthenticatedAccount() {
        assertThat(connect(ALICE_DN, sealed("bob")).returnValue()).isEqualTo(EcCode.ACCESS_DENIED);
        assertThat(connect(ALICE_DN, new CallSecurity(CallSecurity.Level.PRIVACY, "", "")).returnValue())
                .isEqualTo(EcCode.ACCESS_DENIED);
        assertThat(connect("/o=Org/cn=Recipients/cn=nobody", sealed("alice")).returnValue()).isEqualTo(EcCode.UNKNOWN_USER);
    }

    @Test
    void connectAnswersAsExchange2010() {
        EcDoConnectEx.Response r = connect(ALICE_DN.toUpperCase(), sealed("ALICE"));
        assertThat(r.returnValue()).isEqualTo(EcCode.NONE);
        assertThat(r.cxh().isNull()).isFalse();
        assertThat(r.displayName()).isEqualTo("Alice Andersen");
        assertThat(r.serverVersion()).isEqualTo(ProtocolVersion.of(14, 3, 123, 3));
        assertThat(r.bestVersion()).isEqualTo(OUTLOOK_2010);
        assertThat(r.pollsMax()).isEqualTo(60_000);
        assertThat(r.auxOut()).isEqualTo(Octets.EMPTY);
    }

    @Test
    void ropLogonAnswersTheMailboxIdentity() {
        EcDoRpcExt2.Response r = rpc(connectAlice(), request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, ALICE_DN), false, false), Emsmdb.MAX_RGB);
        assertThat(r.returnValue()).isEqualTo(EcCode.NONE);
        assertThat(r.rgbOut().length()).isEqualTo(180);
        assertThat(r.rgbOut().slice(0, 8)).isEqualTo(Octets.ofHex("0000 0400 ac00 ac00")); // plain, Last
        RopBuffer out = payload(r);
        assertThat(out.handles()).containsExactly(1);
        RopLogon.Success s = (RopLogon.Success) logonResponse(out);
        assertThat(s.mailboxGuid()).isEqualTo(ALICE.mailboxGuid());
        assertThat(s.folderIds()).isEqualTo(SpecialFolders.of(ALICE.mailboxGuid()));
        assertThat(s.replGuid()).isEqualTo(SpecialFolders.replicaGuid(ALICE.mailboxGuid()));
        assertThat(s.responseFlags()).isEqualTo(0x07);
        assertThat(s.logonTime()).isEqualTo(LocalDateTime.of(2026, 12, 6, 14, 30, 5));
    }

    @Test
    void compressedAndObfuscatedRequestsAreUndone() {
        ContextHandle cxh = connectAlice();
        Octets twice = rops(RopLogon.OUTLOOK_OPEN_FLAGS, ALICE_DN, ALICE_DN); // repetitive: compresses
        Octets packed = request(twice, true, true);
        assertThat(packed.slice(2, 4)).isEqualTo(Octets.ofHex("0700")); // Compressed | XorMagic | Last
        RopBuffer out = payload(rpc(cxh, packed, Emsmdb.MAX_RGB));
        assertThat(out.rops().length()).isEqualTo(2 * RopLogon.SUCCESS_LENGTH);
        assertThat(out.handles()).containsExactly(2); // the second logon replaced the first in slot 0
    }

    @Test
    void ropLogonRefusals() {
        ContextHandle cxh = connectAlice();
        assertThat(logonResponse(payload(rpc(cxh, request(rops(RopLogon.HOME_LOGON, ALICE_DN), false, false), Emsmdb.MAX_RGB))))
                .isEqualTo(new RopLogon.Failure(0, EcCode.INVALID_PARAMETER));
        assertThat(logonResponse(payload(rpc(cxh, request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, BOB_DN), false, false), Emsmdb.MAX_RGB))))
                .isEqualTo(new RopLogon.Failure(0, EcCode.ACCESS_DENIED));
        assertThat(logonResponse(payload(rpc(cxh, request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, "/o=x/cn=gone"), false, false), Emsmdb.MAX_RGB))))
                .isEqualTo(new RopLogon.Failure(0, EcCode.UNKNOWN_USER));
        ByteBuf publicLogon = Unpooled.buffer();
        new RopLogon.Request(0, 0, 0, RopLogon.OUTLOOK_OPEN_FLAGS, 0, "").writeTo(publicLogon);
        assertThat(logonResponse(payload(rpc(cxh, request(Octets.copyOf(publicLogon), false, false), Emsmdb.MAX_RGB))))
                .isEqualTo(new RopLogon.Failure(0, EcCode.NOT_SUPPORTED));
        RopBuffer refused = payload(rpc(cxh, request(rops(RopLogon.HOME_LOGON, ALICE_DN), false, false), Emsmdb.MAX_RGB));
        assertThat(refused.handles()).containsExactly(RopBuffer.NO_HANDLE); // no object for a failed logon
    }

    @Test
    void mailboxOnAnotherServerIsRedirected() {
        EcDoConnectEx.Response c = connect(CAROL_DN, sealed("carol"));
        RopBuffer out = RopBuffer.decode(RpcHeaderExt.unwrap(EcDoRpcExt2.Response.decode(invoke(EcDoRpcExt2.OPNUM,
                new EcDoRpcExt2.Request(c.cxh(), 0, request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, CAROL_DN), false, false),
                        Emsmdb.MAX_RGB, Octets.EMPTY, 0).encode(), sealed("carol"), association)).rgbOut()));
        assertThat(logonResponse(out)).isEqualTo(new RopLogon.Redirect(0, RopLogon.PRIVATE, EX2));
    }

    @Test
    void unsupportedRopGetsTheErrorResponseAfterTheRopsBeforeIt() {
        Octets list = Octets.ofHex(rops(RopLogon.OUTLOOK_OPEN_FLAGS, ALICE_DN).hex() + "02000001 0100000000000001 00");
        RopBuffer out = payload(rpc(connectAlice(), request(list, false, false), Emsmdb.MAX_RGB));
        Octets rops = out.rops();
        assertThat(rops.length()).isEqualTo(RopLogon.SUCCESS_LENGTH + 6);
        assertThat(rops.slice(RopLogon.SUCCESS_LENGTH, rops.length())).isEqualTo(Octets.ofHex("02 00 02010480")); // ecNotSupported
    }

    @Test
    void malformedRequestBufferGetsEcRpcFormat() {
        ContextHandle cxh = connectAlice();
        EcDoRpcExt2.Response r = rpc(cxh, Octets.ofHex("0100 0400 0000 0000"), Emsmdb.MAX_RGB);
        assertThat(r.returnValue()).isEqualTo(EcCode.RPC_FORMAT);
        assertThat(r.rgbOut()).isEqualTo(Octets.EMPTY);
        assertThat(r.cxh()).isEqualTo(cxh);
        // an output handle index outside the handle table
        ByteBuf rop = Unpooled.buffer();
        new RopLogon.Request(0, 3, RopLogon.PRIVATE, RopLogon.OUTLOOK_OPEN_FLAGS, 0, ALICE_DN).writeTo(rop);
        assertThat(rpc(cxh, request(Octets.copyOf(rop), false, false), Emsmdb.MAX_RGB).returnValue()).isEqualTo(EcCode.RPC_FORMAT);
    }

    @Test
    void responseLargerThanPcbOutGetsEcBufferTooSmall() {
        EcDoRpcExt2.Response r = rpc(connectAlice(), request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, ALICE_DN), false, false), 179);
        assertThat(r.returnValue()).isEqualTo(EcCode.BUFFER_TOO_SMALL);
        assertThat(r.rgbOut()).isEqualTo(Octets.EMPTY);
    }

    @Test
    void responsesBeyondOneExtendedBufferGetEcBufferTooSmall() {
        String[] dns = new String[400]; // 400 successful logons answer 66400 bytes: more than one RPC_HEADER_EXT holds
        java.util.Arrays.fill(dns, ALICE_DN);
        EcDoRpcExt2.Response r = rpc(connectAlice(), RpcHeaderExt.wrap(new RopBuffer(rops(RopLogon.OUTLOOK_OPEN_FLAGS, dns),
                List.of(RopBuffer.NO_HANDLE)).encode(), true, false), Emsmdb.MAX_RGB);
        assertThat(r.returnValue()).isEqualTo(EcCode.BUFFER_TOO_SMALL);
        assertThat(r.rgbOut()).isEqualTo(Octets.EMPTY);
    }

    @Test
    void auxiliaryInputOfUnknownTypesIsIgnored() {
        // an AUX_HEADER {Size 8+4, Version 1, Type 0xEE (unknown)} and 4 bytes of payload
        Octets aux = Octets.ofHex("0c00 01 ee 01020304");
        EcDoConnectEx.Request q = EcDoConnectEx.Request.outlook(ALICE_DN, OUTLOOK_2010);
        EcDoConnectEx.Request withAux = new EcDoConnectEx.Request(q.userDn(), q.flags(), q.conMod(), q.cbLimit(), q.codePage(),
                q.lcidString(), q.lcidSort(), q.icxrLink(), q.canConvertCodePages(), q.clientVersion(), 0, aux, Emsmdb.MAX_AUX);
        EcDoConnectEx.Response r = EcDoConnectEx.Response.decode(invoke(EcDoConnectEx.OPNUM, withAux.encode(), sealed("alice"), association));
        assertThat(r.returnValue()).isEqualTo(EcCode.NONE);
        assertThat(r.auxOut()).isEqualTo(Octets.EMPTY);
    }

    @Test
    void sessionHandlesBelongToTheirAssociation() {
        ContextHandle cxh = connectAlice();
        Octets stub = new EcDoRpcExt2.Request(cxh, 0, request(rops(RopLogon.OUTLOOK_OPEN_FLAGS, ALICE_DN), false, false),
                Emsmdb.MAX_RGB, Octets.EMPTY, 0).encode();
        assertThatThrownBy(() -> invoke(EcDoRpcExt2.OPNUM, stub, sealed("alice"), new AssociationScope()))
                .isInstanceOfSatisfying(RpcFaultException.class,
                        e -> assertThat(e.status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH));
    }

    @Test
    void disconnectClosesTheSession() {
        ContextHandle cxh = connectAlice();
        Octets closed = invoke(EcDoDisconnect.OPNUM, new EcDoDisconnect.Request(cxh).encode(), sealed("alice"), association);
        assertThat(EcDoDisconnect.Response.decode(closed)).isEqualTo(new EcDoDisconnect.Response(ContextHandle.NULL, 0));
        assertThatThrownBy(() -> invoke(EcDoDisconnect.OPNUM, new EcDoDisconnect.Request(cxh).encode(), sealed("alice"), association))
                .isInstanceOfSatisfying(RpcFaultException.class,
                        e -> assertThat(e.status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH));
    }

    @Test
    void sessionsPerAssociationAreBounded() {
        for (int i = 0; i < 32; i++) {
            connectAlice();
        }
        assertThat(connect(ALICE_DN, sealed("alice")).returnValue()).isEqualTo(EmsmdbService.SESSIONS_EXHAUSTED);
    }

    @Test
    void dummyReservedOpnumsAndBadStubData() {
        assertThat(EcDummyRpc.decodeResponse(invoke(EcDummyRpc.OPNUM, Octets.EMPTY, sealed("alice"), association))).isZero();
        assertThatThrownBy(() -> invoke(0, Octets.EMPTY, sealed("alice"), association))
                .isInstanceOfSatisfying(RpcFaultException.class,
                        e -> assertThat(e.status()).isEqualTo(DceStatus.NCA_S_OP_RNG_ERROR));
        assertThatThrownBy(() -> invoke(EcDoConnectEx.OPNUM, Octets.ofHex("ffffffff"), sealed("alice"), association))
                .isInstanceOf(DceProtocolException.class).hasMessage("szUserDN max_count: 4294967295 (expected: <= 1024)");
    }
}
