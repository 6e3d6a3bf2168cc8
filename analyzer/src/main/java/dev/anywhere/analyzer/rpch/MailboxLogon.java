package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Outlook's mailbox logon on a binding to the store interface (EMSMDB v0.81): EcDoConnectEx for the user's
 * legacyExchangeDN, EcDoRpcExt2 carrying RopLogon for the private mailbox, EcDoDisconnect. A refusal at any step
 * ends the sequence (a session that was opened is still closed) and is reported with its {@code ec} code.
 *
 * <p>The calls go through a {@link StubCaller}, so the same sequence runs on a plain binding of a
 * {@link VirtualConnection} ({@link #on(VirtualConnection, int)}) or on a sealed one.
 *
 * @see [MS-OXCRPC] 3.1.4.1, 3.1.4.2, [MS-OXCROPS] 2.2.3.1
 */
public final class MailboxLogon {
    /** What we claim to be: Outlook 2010 SP1 (14.0.6023.1000), which every Exchange 2010 accepts. */
    public static final ProtocolVersion CLIENT_VERSION = ProtocolVersion.of(14, 0, 6023, 1000);

    /** Sends one request's stub on a context bound to EMSMDB and completes with the response's stub. */
    @FunctionalInterface
    public interface StubCaller {
        CompletableFuture<Octets> call(int opnum, Octets stub);
    }

    /** The step a logon stopped at, in call order. */
    public enum Step {
        CONNECT, LOGON, DISCONNECT
    }

    /**
     * What happened.
     *
     * @param connect EcDoConnectEx's answer (server version, display name, return value)
     * @param logon RopLogon's answer; empty when EcDoConnectEx or EcDoRpcExt2 itself failed
     * @param rpcReturnValue EcDoRpcExt2's return value; empty when it was not called
     * @param disconnected true if EcDoDisconnect closed the session
     */
    public record Result(EcDoConnectEx.Response connect, Optional<Integer> rpcReturnValue,
            Optional<RopLogon.Response> logon, boolean disconnected) {
        public Result {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(rpcReturnValue, "rpcReturnValue");
            Objects.requireNonNull(logon, "logon");
        }

        /** True if the mailbox logon succeeded. */
        public boolean loggedOn() {
            return logon.filter(RopLogon.Success.class::isInstance).isPresent();
        }

        /** The step that failed and its code; empty on success. */
        public Optional<Failure> failure() {
            if (connect.returnValue() != EcCode.NONE) {
                return Optional.of(new Failure(Step.CONNECT, connect.returnValue()));
            }
            if (rpcReturnValue.orElse(EcCode.NONE) != EcCode.NONE) {
                return Optional.of(new Failure(Step.LOGON, rpcReturnValue.get()));
            }
            if (logon.isPresent() && logon.get().returnValue() != EcCode.NONE) {
                return Optional.of(new Failure(Step.LOGON, logon.get().returnValue()));
            }
            return disconnected ? Optional.empty() : Optional.of(new Failure(Step.DISCONNECT, EcCode.NONE));
        }
    }

    /** A failed step and its {@code ec} code ({@link EcCode#describe(int)} names it). */
    public record Failure(Step step, int code) {
    }

    private MailboxLogon() {
    }

    /** A caller on {@code contextId} of {@code vc}, which the caller bound to {@link Emsmdb#INTERFACE}. */
    public static StubCaller on(VirtualConnection vc, int contextId) {
        return (opnum, stub) -> vc.call(contextId, opnum, Unpooled.wrappedBuffer(stub.toByteArray())).thenApply(buf -> {
            try {
                return Octets.copyOf(buf);
            } finally {
                buf.release();
            }
        });
    }

    /**
     * Runs the sequence for the mailbox {@code userDn}.
     *
     * @return completes with the {@link Result}; exceptionally with the caller's failure (a fault, a broken
     *     connection) or a {@link DceProtocolException} when an answer does not decode
     */
    public static CompletableFuture<Result> run(StubCaller caller, String userDn) {
        EcDoConnectEx.Request connect = EcDoConnectEx.Request.outlook(userDn, CLIENT_VERSION);
        return caller.call(EcDoConnectEx.OPNUM, connect.encode()).thenApply(EcDoConnectEx.Response::decode).thenCompose(c -> {
            if (c.returnValue() != EcCode.NONE) {
                return CompletableFuture.completedFuture(new Result(c, Optional.empty(), Optional.empty(), false));
            }
            return caller.call(EcDoRpcExt2.OPNUM, logonRequest(c.cxh(), userDn).encode())
                    .thenApply(EcDoRpcExt2.Response::decode)
                    .thenCompose(r -> {
                        Optional<RopLogon.Response> logon = r.returnValue() == EcCode.NONE
                                ? Optional.of(readLogon(r.rgbOut())) : Optional.empty();
                        return caller.call(EcDoDisconnect.OPNUM, new EcDoDisconnect.Request(c.cxh()).encode())
                                .thenApply(EcDoDisconnect.Response::decode)
                                .thenApply(d -> new Result(c, Optional.of(r.returnValue()), logon,
                                        d.returnValue() == EcCode.NONE && d.cxh().isNull()));
                    });
        });
    }

    /** EcDoRpcExt2 with one RopLogon for {@code userDn}'s private mailbox, Outlook's flags, handle table [FFFFFFFF]. */
    static EcDoRpcExt2.Request logonRequest(ContextHandle cxh, String userDn) {
        ByteBuf rop = Unpooled.buffer();
        RopLogon.Request.privateMailbox(0, 0, userDn).writeTo(rop);
        Octets rgbIn = RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(rop), List.of(RopBuffer.NO_HANDLE)).encode(), false, false);
        return new EcDoRpcExt2.Request(cxh, EcDoRpcExt2.NO_COMPRESSION | EcDoRpcExt2.NO_XOR_MAGIC, rgbIn, Emsmdb.MAX_RGB,
                Octets.EMPTY, Emsmdb.MAX_AUX);
    }

    /** The RopLogon response in a response's extended buffer (which the server may compress or obfuscate). */
    static RopLogon.Response readLogon(Octets rgbOut) {
        return RopLogon.readResponse(RopBuffer.decode(RpcHeaderExt.unwrap(rgbOut)).rops());
    }
}
