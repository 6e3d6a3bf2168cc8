package dev.anywhere.rpc.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic pcap of raw IPv4 packets on 127.0.0.1, one TCP segment (PSH|ACK) per payload, sequence numbers per
 * connection and direction: what tshark needs to read a conversation we built or re-framed ourselves.
 */
public final class Pcap {

    /** One payload from client to server (or back) on the connection {@code clientPort ↔ serverPort}. */
    public record Segment(boolean fromClient, int clientPort, int serverPort, byte[] payload) {
    }

    private Pcap() {
    }

    public static byte[] of(List<Segment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(header.array());
        Map<String, long[]> seqs = new HashMap<>(); // per connection: {client's next seq, server's next seq}
        int second = 1;
        for (Segment s : segments) {
            long[] seq = seqs.computeIfAbsent(s.clientPort() + ">" + s.serverPort(), k -> new long[] {1000, 5000});
            int me = s.fromClient() ? 0 : 1;
            byte[] packet = ipv4(s, seq[me], seq[1 - me]);
            seq[me] += s.payload().length;
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(packet.length).putInt(packet.length);
            out.writeBytes(record.array());
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    private static byte[] ipv4(Segment s, long seq, long ack) {
        byte[] payload = s.payload();
        ByteBuffer p = ByteBuffer.allocate(20 + 20 + payload.length); // network byte order
        p.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload.length)).putShort((short) 1).putShort((short) 0x4000);
        p.put((byte) 64).put((byte) 6).putShort((short) 0); // TTL, TCP, checksum (not checked)
        p.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        p.putShort((short) (s.fromClient() ? s.clientPort() : s.serverPort()))
                .putShort((short) (s.fromClient() ? s.serverPort() : s.clientPort()));
        p.putInt((int) seq).putInt((int) ack);
        p.put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putShort((short) 0).putShort((short) 0); // PSH|ACK
        p.put(payload);
        return p.array();
    }
}
