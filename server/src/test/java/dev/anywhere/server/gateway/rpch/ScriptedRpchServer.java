package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only RPC over HTTP v2 server (the side behind the proxy), blocking I/O, one thread per leg: banner, CONN/A2
 * and CONN/B2 paired by cookie, CONN/C1 and CONN/B3, recycling answers; every RPC PDU on an IN leg is answered on the
 * OUT leg with {@link #responseBytes} bytes of response PDUs, sent under the outbound proxy's window. It can
 * misbehave: no banner, a wrong banner, a wrong PDU instead of CONN/C1.
 */
final class ScriptedRpchServer implements AutoCloseable {

    enum Mode {
        NORMAL, SILENT, WRONG_BANNER, BAD_C1,
        /** After CONN/C1 and CONN/B3: half a response PDU on the OUT leg, then both legs closed. */
        TRUNCATE,
        /** After CONN/C1 and CONN/B3: a PDU with rpc_vers 4 on the OUT leg. */
        GARBAGE,
        /**
         * The first RPC request ends the virtual connection as a server ending the association after its answer, in
         * the worst order: the IN leg closed at once, the fault on the OUT leg {@link #FAULT_DELAY_MS} later, then
         * the OUT leg closed.
         */
        FAULT_AFTER_IN_CLOSE
    }

    static final long FAULT_DELAY_MS = 200;

    /** Everything the server saw, in order, e.g. {@code OUT CONN/A2}, {@code IN rpc 72}, {@code OUT FlowControlAck}. */
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<RtsPdu> received = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    volatile Mode mode = Mode.NORMAL;
    volatile int responseBytes = 4096;
    volatile int fragment = 4096;
    static final long SERVER_WINDOW = 65536;

    private final ServerSocket socket;
    private final Map<UUID, Leg> outLegs = new ConcurrentHashMap<>();
    private final Map<UUID, Leg> inLegs = new ConcurrentHashMap<>();
    /** The two legs each virtual connection was last paired with: CONN/C1 goes out once per pair. */
    private final Map<UUID, List<Leg>> pairedLegs = new HashMap<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** One accepted connection. */
    final class Leg {
        final Socket s;
        final OutputStream out;
        long window;
        long sent;
        long available;
        RtsPdu open;

        Leg(Socket s) throws IOException {
            this.s = s;
            this.out = s.getOutputStream();
        }

        synchronized void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        void write(RtsPdu pdu) throws IOException {
            write(bytes(pdu));
        }

        /** Sends one RPC PDU, waiting for the proxy's window (bounded wait). */
        synchronized void sendRpc(byte[] pdu) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (available < pdu.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("window stalled");
                }
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            available -= pdu.length;
            sent += pdu.length;
            out.write(pdu);
            out.flush();
        }

        synchronized void ack(long bytesReceived, long availableWindow) {
            available = availableWindow - (sent - bytesReceived);
            notifyAll();
        }
    }

    ScriptedRpchServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "scripted-rpch-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-rpch-leg");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static byte[] bytes(RtsPdu pdu) {
        ByteBuf b = RpchCodec.encode(pdu, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** A connection-oriented PDU of {@code length} bytes: PTYPE {@code ptype}, flags first|last. */
    static byte[] rpcPdu(int ptype, int length, int callId) {
        byte[] b = new byte[length];
        b[0] = 5;
        b[2] = (byte) ptype;
        b[3] = 3;
        b[4] = 0x10;
        b[8] = (byte) length;
        b[9] = (byte) (length >> 8);
        b[12] = (byte) callId;
        return b;
    }

    static byte[] readPdu(DataInputStream in) throws IOException {
        byte[] head = new byte[16];
        in.readFully(head);
        int len = (head[8] & 0xff) | (head[9] & 0xff) << 8;
        byte[] pdu = new byte[len];
        System.arraycopy(head, 0, pdu, 0, 16);
        in.readFully(pdu, 16, len - 16);
        return pdu;
    }

    private void serve(Socket s) {
        try (s) {
            Leg leg = new Leg(s);
            switch (mode) {
                case SILENT -> {
                    s.getInputStream().read();
                    return;
                }
                case WRONG_BANNER -> {
                    leg.write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                    return;
                }
                default -> leg.write("ncacn_http/1.0".getBytes(StandardCharsets.US_ASCII));
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            String side = "?";
            long rpcBytes = 0;
            long consumedAtAck = 0;
            while (true) {
                byte[] pdu = readPdu(in);
                if (pdu[2] != 20) {
                    events.add(side + " rpc " + pdu.length);
                    rpcBytes += pdu.length;
                    if (rpcBytes - consumedAtAck >= SERVER_WINDOW / 2) {
                        leg.write(RtsPdus.flowControlAck(rpcBytes, SERVER_WINDOW, ackCookieOf(leg.open)));
                        consumedAtAck = rpcBytes;
                        events.add("IN sent FlowControlAck");
                    }
                    if (mode == Mode.FAULT_AFTER_IN_CLOSE && pdu[2] == 0) {
                        faultAfterInClose(outLegs.remove(vcCookieOf(leg.open)), pdu[12]);
                        return; // closes this (IN) leg; the OUT leg is no longer torn down with it
                    }
                    Leg out = outLegs.get(vcCookieOf(leg.open));
                    if (out != null && pdu[2] == 0) {
                        int callId = pdu[12];
                        int total = responseBytes;
                        int frag = fragment;
                        Thread t = new Thread(() -> {
                            try {
                                for (int left = total; left > 0; left -= frag) {
                                    out.sendRpc(rpcPdu(2, Math.max(24, Math.min(frag, left)), callId));
                                }
                                events.add("OUT response sent");
                            } catch (IOException | InterruptedException e) {
                                events.add("OUT response failed: " + e.getMessage());
                            }
                        }, "scripted-rpch-response");
                        t.setDaemon(true);
                        t.start();
                    }
                    continue;
                }
                RtsPdu rts = RpchCodec.decode(Unpooled.wrappedBuffer(pdu));
                boolean opensOut = RtsPduKind.CONN_A2.matches(rts) || RtsPduKind.OUT_R1_A4.matches(rts);
                if (!opensOut) {
                    this.received.add(rts);
                }
                List<RtsPduKind> kinds = RtsPduKind.classify(rts);
                String name = kinds.isEmpty() ? "unknown" : kinds.get(0).displayName();
                if (opensOut) {
                    side = "OUT";
                    leg.open = rts;
                    RtsMessage m = RtsMessage.of(rts);
                    leg.window = m instanceof RtsMessage.ConnA2 a2 ? a2.receiveWindowSize()
                            : ((RtsMessage.OutR1A4) m).receiveWindowSize();
                    leg.available = leg.window;
                    outLegs.put(vcCookieOf(rts), leg);
                    // Recorded once the leg is the one answers go to: a test that awaits it may send a call at once.
                    this.received.add(rts);
                    events.add("OUT " + name);
                    if (RtsPduKind.CONN_A2.matches(rts)) {
                        pair(vcCookieOf(rts));
                    }
                } else if (RtsPduKind.CONN_B2.matches(rts) || RtsPduKind.IN_R1_A2.matches(rts)) {
                    side = "IN";
                    leg.open = rts;
                    events.add("IN " + name);
                    if (RtsPduKind.IN_R1_A2.matches(rts)) {
                        Leg old = inLegs.put(vcCookieOf(rts), leg);
                        leg.write(RtsPdus.inR1B2(SERVER_WINDOW));
                        if (old != null) {
                            old.write(RtsPdus.inR1B1());
                        }
                    } else {
                        inLegs.put(vcCookieOf(rts), leg);
                        pair(vcCookieOf(rts));
                    }
                } else if (RtsPduKind.FLOW_CONTROL_ACK.matches(rts) && side.equals("OUT")) {
                    RtsMessage.FlowControlAck a = (RtsMessage.FlowControlAck) RtsMessage.of(rts);
                    leg.ack(a.bytesReceived(), a.availableWindow());
                    events.add("OUT FlowControlAck");
                } else if (RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION.matches(rts) && side.equals("IN")) {
                    ForwardDestination d = ((RtsMessage.FlowControlAckWithDestination) RtsMessage.of(rts)).destination();
                    events.add("IN FlowControlAckWithDestination " + d);
                    Leg out = outLegs.get(vcCookieOf(leg.open));
                    if (out != null) {
                        out.write(rts);
                    }
                } else {
                    events.add(side + " " + name);
                }
            }
        } catch (IOException | RuntimeException e) {
            events.add("closed");
        } finally {
            // Like a real server: a virtual connection that lost a leg is torn down.
            for (Map<UUID, Leg> legs : List.of(inLegs, outLegs)) {
                legs.entrySet().removeIf(e -> {
                    if (e.getValue().s == s) {
                        closeVc(e.getKey());
                        return true;
                    }
                    return false;
                });
            }
        }
    }

    /** On another thread: waits, sends a 32-byte fault for {@code callId} on {@code out}, closes it. */
    private void faultAfterInClose(Leg out, int callId) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(FAULT_DELAY_MS);
                out.sendRpc(rpcPdu(3, 32, callId));
                events.add("OUT fault sent");
                out.s.close();
            } catch (IOException | InterruptedException e) {
                events.add("OUT fault failed: " + e.getMessage());
            }
        }, "scripted-rpch-fault");
        t.setDaemon(true);
        t.start();
    }

    private void closeVc(UUID vc) {
        for (Map<UUID, Leg> legs : List.of(inLegs, outLegs)) {
            Leg l = legs.get(vc);
            if (l != null) {
                try {
                    l.s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** The channel cookie this script acks an IN leg with: CONN/B2's IN channel cookie (IN_R1/A2: its predecessor's). */
    private static UUID ackCookieOf(RtsPdu pdu) {
        RtsMessage m = RtsMessage.of(pdu);
        return m instanceof RtsMessage.ConnB2 b2 ? b2.inChannelCookie() : ((RtsMessage.InR1A2) m).predecessorChannelCookie();
    }

    /** The virtual connection cookie of a leg-opening PDU (CONN/A2, CONN/B2, IN_R1/A2, OUT_R1/A4). */
    private static UUID vcCookieOf(RtsPdu pdu) {
        RtsMessage m = RtsMessage.of(pdu);
        if (m instanceof RtsMessage.ConnA2 a2) {
            return a2.virtualConnectionCookie();
        } else if (m instanceof RtsMessage.ConnB2 b2) {
            return b2.virtualConnectionCookie();
        } else if (m instanceof RtsMessage.InR1A2 a2) {
            return a2.virtualConnectionCookie();
        }
        return ((RtsMessage.OutR1A4) m).virtualConnectionCookie();
    }

    private synchronized void pair(UUID vc) throws IOException {
        Leg out = outLegs.get(vc);
        Leg in = inLegs.get(vc);
        if (out == null || in == null) {
            return;
        }
        // Both legs' threads call this once registered; when both registered before either got here, the second
        // call found the same two legs and answered CONN/C1 twice (the client then read a second CONN/C2).
        List<Leg> legs = List.of(out, in);
        if (legs.equals(pairedLegs.get(vc))) {
            return;
        }
        pairedLegs.put(vc, legs);
        if (mode == Mode.BAD_C1) {
            out.write(RtsPdus.ping());
            return;
        }
        RtsMessage opened = RtsMessage.of(in.open);
        long inWindow = opened instanceof RtsMessage.ConnB2 b2 ? b2.receiveWindowSize()
                : ((RtsMessage.InR1A2) opened).receiveWindowSize();
        long inTimeout = opened instanceof RtsMessage.ConnB2 b2 ? b2.connectionTimeout()
                : ((RtsMessage.InR1A2) opened).connectionTimeout();
        out.write(RtsPdus.connC1(1, inWindow, inTimeout));
        in.write(RtsPdus.connB3(SERVER_WINDOW, 1));
        if (mode == Mode.TRUNCATE) {
            out.write(java.util.Arrays.copyOf(rpcPdu(2, 100, 1), 40));
            out.s.close();
            in.s.close();
        } else if (mode == Mode.GARBAGE) {
            byte[] bad = rpcPdu(2, 100, 1);
            bad[0] = 4;
            out.write(bad);
        }
    }

    /** The first RTS PDU of {@code kind} the server received, waiting up to 5 s for it; null if none came. */
    RtsPdu awaitReceived(RtsPduKind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            RtsPdu pdu = received.stream().filter(kind::matches).findFirst().orElse(null);
            if (pdu != null || System.nanoTime() >= deadline) {
                return pdu;
            }
            Thread.sleep(10);
        }
    }

    /** Sends an RTS PDU on the OUT leg of {@code vc}. */
    void sendOnOut(UUID vc, RtsPdu pdu) throws IOException {
        outLegs.get(vc).write(pdu);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
