package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RopRequest;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client's call sequence against canned server answers built with the same codecs. */
class MailboxLogonTest {

    static final String DN = "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";
    static final ContextHandle CXH = new ContextHandle(0, UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
    static final UUID MAILBOX = UUID.fromString("11111111-2222-3333-4444-555555555555");
    static final ProtocolVersion SERVER = ProtocolVersion.of(14, 3, 123, 3);

    /** A fake store: records every call, answers with {@code answer}. */
    static final class Store implements MailboxLogon.StubCaller {
        final List<Integer> opnums = new ArrayList<>();
        final List<Octets> stubs = new ArrayList<>();
        final Function<Integer, Octets> answer;

        Store(Function<Integer, Octets> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<Octets> call(int opnum, Octets stub) {
            opnums.add(opnum);
            stubs.add(stub);
            return CompletableFuture.completedFuture(answer.apply(opnum));
        }
    }

    static Octets connected(int code) {
        return new EcDoConnectEx.Response(code == 0 ? CXH : ContextHandle.NULL, 60000, 6, 10000, 1, "", "Alice", SERVER,
                MailboxLogon.CLIENT_VERSION, 0, Octets.EMPTY, code).encode();
    }

    static Octets logon(RopLogon.Response r, boolean compressed) {
        ByteBuf b = Unpooled.buffer();
        r.writeTo(b);
        Octets rgbOut = RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(b), List.of(1)).encode(), compressed, compressed);
        return new EcDoRpcExt2.Response(CXH, 0, rgbOut, Octets.EMPTY, 1, EcCode.NONE).encode();
    }

    static final Octets DISCONNECTED = new EcDoDisconnect.Response(ContextHandle.NULL, 0).encode();

    static RopLogon.Success success() {
        return new RopLogon.Success(0, RopLogon.PRIVATE, SpecialFolders.of(MAILBOX), RopLogon.OWNER_RESPONSE_FLAGS, MAILBOX,
                1, SpecialFolders.replicaGuid(MAILBOX), LocalDateTime.of(2026, 12, 6, 14, 0), 0, 0);
    }

    static Store store(Octets connect, Octets rpc) {
        return new Store(op -> op == EcDoConnectEx.OPNUM ? connect : op == EcDoRpcExt2.OPNUM ? rpc : DISCONNECTED);
    }

    @Test
    void connectLogonDisconnect() {
        Store s = store(connected(0), logon(success(), true));
        MailboxLogon.Result r = MailboxLogon.run(s, DN).join();
        assertThat(r.loggedOn()).isTrue();
        assertThat(r.failure()).isEmpty();
        assertThat(r.connect().serverVersion()).hasToString("14.3.123.3");
        assertThat(s.opnums).containsExactly(EcDoConnectEx.OPNUM, EcDoRpcExt2.OPNUM, EcDoDisconnect.OPNUM);
        EcDoConnectEx.Request connect = EcDoConnectEx.Request.decode(s.stubs.get(0));
        assertThat(connect.userDn()).isEqualTo(DN);
        EcDoRpcExt2.Request rpc = EcDoRpcExt2.Request.decode(s.stubs.get(1));
        assertThat(rpc.cxh()).isEqualTo(CXH);
        RopBuffer in = RopBuffer.decode(RpcHeaderExt.unwrap(rpc.rgbIn()));
        assertThat(in.handles()).containsExactly(RopBuffer.NO_HANDLE);
        assertThat(RopRequest.parse(in.rops())).containsExactly(RopLogon.Request.privateMailbox(0, 0, DN));
        assertThat(EcDoDisconnect.Request.decode(s.stubs.get(2)).cxh()).isEqualTo(CXH);
    }

    @Test
    void refusedConnectEndsTheSequence() {
        Store s = store(connected(EcCode.NOT_ENCRYPTED), null);
        MailboxLogon.Result r = MailboxLogon.run(s, DN).join();
        assertThat(r.failure()).contains(new MailboxLogon.Failure(MailboxLogon.Step.CONNECT, EcCode.NOT_ENCRYPTED));
        assertThat(s.opnums).containsExactly(EcDoConnectEx.OPNUM);
    }

    @Test
    void refusedLogonStillDisconnects() {
        Store s = store(connected(0), logon(new RopLogon.Failure(0, EcCode.LOGIN_FAILURE), false));
        MailboxLogon.Result r = MailboxLogon.run(s, DN).join();
        assertThat(r.loggedOn()).isFalse();
        assertThat(r.failure()).contains(new MailboxLogon.Failure(MailboxLogon.Step.LOGON, EcCode.LOGIN_FAILURE));
        assertThat(r.disconnected()).isTrue();
        assertThat(s.opnums).containsExactly(EcDoConnectEx.OPNUM, EcDoRpcExt2.OPNUM, EcDoDisconnect.OPNUM);

        Store redirect = store(connected(0), logon(new RopLogon.Redirect(0, 1, "/o=Org/cn=Servers/cn=EX2"), false));
        assertThat(MailboxLogon.run(redirect, DN).join().logon()).contains(new RopLogon.Redirect(0, 1, "/o=Org/cn=Servers/cn=EX2"));

        Octets rpcFailed = new EcDoRpcExt2.Response(CXH, 0, Octets.EMPTY, Octets.EMPTY, 0, EcCode.RPC_FORMAT).encode();
        MailboxLogon.Result format = MailboxLogon.run(store(connected(0), rpcFailed), DN).join();
        assertThat(format.logon()).isEmpty();
        assertThat(format.failure()).contains(new MailboxLogon.Failure(MailboxLogon.Step.LOGON, EcCode.RPC_FORMAT));
    }

    @Test
    void undecodableAnswerFailsTheFuture() {
        Store s = store(Octets.ofHex("00"), null);
        assertThatThrownBy(() -> MailboxLogon.run(s, DN).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DceProtocolException.class);
        assertThat(s.opnums).containsExactly(EcDoConnectEx.OPNUM);
    }
}
