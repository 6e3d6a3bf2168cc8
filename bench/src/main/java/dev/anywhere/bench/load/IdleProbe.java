package dev.anywhere.bench.load;

import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsPdus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Heap per idle virtual connection: opens N virtual connections through the gateway with a minimal blocking client
 * (two sockets per virtual connection, the channel requests, CONN/B1 and CONN/A1, then reads the OUT channel's 200,
 * CONN/A3 and CONN/C2) and compares the used heap after full GCs before and after. The delta is this whole JVM:
 * the gateway (IN, OUT and backend connection), the endpoints' virtual connection, and the client's two
 * {@link Socket}s (a few hundred bytes); so it is an upper bound for the gateway alone. Client source addresses are
 * spread over 127.0.0.0/8 (127.1.x.y) so that large N stays clear of the ephemeral port range per address pair.
 */
public final class IdleProbe {

    /** The outcome: how many opened, heap delta per virtual connection, and open time per virtual connection. */
    public record Result(int requested, int opened, long heapBytesPerVc, double openMillisPerVc, String error) {
    }

    private IdleProbe() {
    }

    /** Source address for the i-th client connection: 127.1.0.1, 127.1.0.2, ... 127.1.0.250, 127.1.1.1, ... */
    public static InetAddress sourceAddress(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) ((i / 250) & 0xff), (byte) (1 + i % 250)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Opens {@code n} idle virtual connections through {@code gateway}, measures, closes them. */
    public static Result measure(InetSocketAddress gateway, int endpointPort, int n, Duration timeout) throws InterruptedException {
        List<Socket> sockets = new ArrayList<>(2 * n);
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        int opened = 0;
        String error = null;
        try {
            for (int i = 0; i < n; i++) {
                openOne(gateway, endpointPort, sourceAddress(i), timeout, sockets);
                opened++;
            }
        } catch (IOException | RuntimeException e) {
            error = "after " + opened + " virtual connections: " + e;
        }
        double openMillis = opened == 0 ? 0 : (System.nanoTime() - t0) / 1e6 / opened;
        Thread.sleep(300); // let the gateway settle (deferred writes, backend connects)
        long after = usedHeapAfterGc();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        long perVc = opened == 0 ? 0 : Math.max(0, (after - before) / opened);
        return new Result(n, opened, perVc, openMillis, error);
    }

    static byte[] request(String method, long contentLength, InetSocketAddress gateway, int endpointPort, byte[] body) {
        String auth = Base64.getEncoder().encodeToString((Topology.USER + ":" + Topology.PASSWORD).getBytes(StandardCharsets.UTF_8));
        String head = method + " /rpc/rpcproxy.dll?" + Topology.SERVER + ":" + endpointPort + " HTTP/1.1\r\n"
                + "Accept: application/rpc\r\nUser-Agent: MSRPC\r\nHost: " + Topology.PROXY_HOST + ":" + gateway.getPort() + "\r\n"
                + "Content-Length: " + contentLength + "\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\n"
                + "Pragma: No-cache\r\nAuthorization: Basic " + auth + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static byte[] rts(dev.anywhere.rpc.rpch.RtsPdu pdu) {
        ByteBuf b = Unpooled.buffer();
        RpchCodec.encode(pdu, b);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static void openOne(InetSocketAddress gateway, int endpointPort, InetAddress source, Duration timeout, List<Socket> keep)
            throws IOException {
        UUID vc = UUID.randomUUID();
        Socket in = new Socket();
        keep.add(in);
        in.bind(new InetSocketAddress(source, 0));
        in.connect(gateway, (int) timeout.toMillis());
        in.setTcpNoDelay(true);
        Socket out = new Socket();
        keep.add(out);
        out.bind(new InetSocketAddress(source, 0));
        out.connect(gateway, (int) timeout.toMillis());
        out.setTcpNoDelay(true);
        out.setSoTimeout((int) timeout.toMillis());
        byte[] b1 = rts(RtsPdus.connB1(1, vc, UUID.randomUUID(), 0x4000_0000L, 300_000, UUID.randomUUID()));
        byte[] a1 = rts(RtsPdus.connA1(1, vc, UUID.randomUUID(), 0x40000));
        in.getOutputStream().write(request("RPC_IN_DATA", 0x4000_0000L, gateway, endpointPort, b1));
        out.getOutputStream().write(request("RPC_OUT_DATA", 76, gateway, endpointPort, a1));
        readOpened(out.getInputStream());
    }

    /** Reads the OUT channel's response head and two RTS PDUs (CONN/A3, CONN/C2). */
    static void readOpened(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int headEnd = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("OUT channel closed after " + seen.size() + " bytes: "
                        + seen.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
            }
            seen.write(c);
            byte[] s = seen.toByteArray();
            int len = s.length;
            if (headEnd < 0 && len >= 4 && s[len - 4] == '\r' && s[len - 3] == '\n' && s[len - 2] == '\r' && s[len - 1] == '\n') {
                headEnd = len;
                String status = new String(s, 0, len, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                if (!status.contains(" 200")) {
                    throw new IOException("OUT channel: " + status + " (expected: 200)");
                }
                break;
            }
        }
        for (int pdu = 0; pdu < 2; pdu++) {
            byte[] header = in.readNBytes(16);
            if (header.length < 16) {
                throw new IOException("OUT channel closed inside PDU " + (pdu + 1));
            }
            int fragLength = (header[8] & 0xff) | (header[9] & 0xff) << 8;
            if (in.readNBytes(fragLength - 16).length < fragLength - 16) {
                throw new IOException("OUT channel closed inside PDU " + (pdu + 1));
            }
        }
    }
}
