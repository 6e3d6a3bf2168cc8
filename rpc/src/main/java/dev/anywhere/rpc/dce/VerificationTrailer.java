package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The verification trailer Windows and Samba clients append to the stub of requests on signed or sealed
 * associations ([MS-RPCE] 2.2.2.13): after the NDR data, 4-byte aligned, an 8-byte signature and commands that
 * repeat, under the association's protection, what the unprotected header said (PTYPE, call id, context, opnum) and
 * which interface the context was bound to. A stub that carries one is cut before it, so the interface's NDR
 * sees only its parameters; the commands are checked by {@link #mismatch}.
 *
 * @param dataLength the bytes of the stub before the trailer (up to three of them may be alignment padding)
 * @param commands the commands in order
 */
public record VerificationTrailer(int dataLength, List<Command> commands) {

    /** rpc_sec_verification_trailer's signature ([MS-RPCE] 2.2.2.13.1). */
    static final byte[] SIGNATURE = {(byte) 0x8a, (byte) 0xe3, 0x13, 0x71, 0x02, (byte) 0xf4, 0x36, 0x71};
    private static final int COMMAND_END = 0x4000;
    private static final int MUST_PROCESS = 0x8000;

    /** One command of the trailer. */
    public sealed interface Command {
        /** Whether a receiver that does not know the command must refuse the request. */
        boolean mustProcess();
    }

    /** SEC_VT_COMMAND_BITMASK_1 ([MS-RPCE] 2.2.2.13.2): bit 1 = the client supports header signing. */
    public record Bitmask(long bits, boolean mustProcess) implements Command {
    }

    /** SEC_VT_COMMAND_PCONTEXT ([MS-RPCE] 2.2.2.13.3): the context's abstract and transfer syntax. */
    public record PresentationContext(SyntaxId abstractSyntax, SyntaxId transferSyntax, boolean mustProcess) implements Command {
    }

    /** SEC_VT_COMMAND_HEADER2 ([MS-RPCE] 2.2.2.13.4): the request header's fields the signature may not cover. */
    public record Header2(int ptype, long dataRepresentation, long callId, int contextId, int opnum, boolean mustProcess)
            implements Command {
    }

    /** A command this implementation does not know. */
    public record Unknown(int type, Octets value, boolean mustProcess) implements Command {
    }

    /**
     * The trailer at the end of {@code stub}, if there is one: the first 4-byte aligned signature whose commands
     * run exactly to the end, the last one marked as such. Anything else is parameter data that happens to contain
     * the signature's bytes.
     */
    public static Optional<VerificationTrailer> find(Octets stub) {
        byte[] b = stub.toByteArray();
        for (int at = 0; at + SIGNATURE.length <= b.length; at += 4) {
            if (Arrays.equals(b, at, at + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                Optional<List<Command>> commands = commands(b, at + SIGNATURE.length);
                if (commands.isPresent()) {
                    return Optional.of(new VerificationTrailer(at, commands.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<List<Command>> commands(byte[] b, int from) {
        ByteBuf buf = Unpooled.wrappedBuffer(b, from, b.length - from);
        List<Command> commands = new ArrayList<>();
        try {
            WireReader r = DceCodec.reader(buf);
            while (r.remaining() > 0) {
                int command = r.u16("command");
                int length = r.u16("length");
                r.require(length, "value");
                boolean must = (command & MUST_PROCESS) != 0;
                int type = command & 0x3fff;
                int start = r.position();
                commands.add(switch (type) {
                    case 1 -> length == 4 ? new Bitmask(r.u32("bits"), must) : unknown(r, type, length, must);
                    case 2 -> length == 40 ? new PresentationContext(SyntaxId.read(r, "InterfaceId"),
                            SyntaxId.read(r, "TransferSyntax"), must) : unknown(r, type, length, must);
                    case 3 -> length == 16 ? header2(r, must) : unknown(r, type, length, must);
                    default -> unknown(r, type, length, must);
                });
                r.skip(length - (r.position() - start), "value");
                if ((command & COMMAND_END) != 0) {
                    return r.remaining() == 0 ? Optional.of(List.copyOf(commands)) : Optional.empty();
                }
            }
            return Optional.empty(); // no command marked as the last
        } catch (DceProtocolException notATrailer) {
            return Optional.empty();
        }
    }

    private static Header2 header2(WireReader r, boolean must) {
        int ptype = r.u8("PTYPE");
        r.skip(3, "Reserved");
        return new Header2(ptype, r.u32("drep"), r.u32("call_id"), r.u16("p_cont_id"), r.u16("opnum"), must);
    }

    private static Unknown unknown(WireReader r, int type, int length, boolean must) {
        return new Unknown(type, r.bytes(length, "value"), must);
    }

    /**
     * Why this trailer does not fit the request it came with, or empty: a header that differs from the request's
     * (a PDU spliced under another's protection), a context bound to another interface, a command that must be
     * processed and is not known here.
     *
     * @see [MS-RPCE] 3.3.3.5.3 (the server verifies the trailer's commands)
     */
    public Optional<String> mismatch(int callId, int contextId, int opnum, java.util.function.Predicate<SyntaxId> boundInterface) {
        for (Command c : commands) {
            if (c instanceof Header2 h && (h.ptype() != PduType.REQUEST.value() || h.callId() != Integer.toUnsignedLong(callId)
                    || h.contextId() != contextId || h.opnum() != opnum)) {
                return Optional.of("verification trailer header: PTYPE " + h.ptype() + ", call_id " + h.callId() + ", context "
                         + h.contextId() + ", opnum " + h.opnum() + " (expected: request, " + Integer.toUnsignedString(callId) + ", " + contextId + ", "
                        + opnum + ")");
            }
            if (c instanceof PresentationContext p && (!boundInterface.test(p.abstractSyntax())
                    || !p.transferSyntax().equals(SyntaxId.NDR))) {
                return Optional.of("verification trailer context: " + p.abstractSyntax() + " over " + p.transferSyntax()
                        + " (expected: the interface bound to context " + contextId + " over NDR)");
            }
            if (c instanceof Unknown u && u.mustProcess()) {
                return Optional.of("verification trailer command " + u.type() + ": unknown and marked must-process");
            }
        }
        return Optional.empty();
    }
}
