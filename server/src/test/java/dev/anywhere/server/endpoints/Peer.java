package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A scripted peer on a loopback socket: a proxy leg, a v1 client or an ncacn_ip_tcp client. Bounded timeouts. */
final class Peer implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Peer(int port, boolean expectBanner) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (expectBanner) {
            byte[] banner = new byte[14];
            in.readFully(banner);
            assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("ncacn_http/1.0");
        }
    }

    static byte[] bytes(RtsPdu pdu) {
        ByteBuf b = RpchCodec.encode(pdu, Unpooled.buffer().alloc());
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] bytes(DcePdu pdu) {
        ByteBuf b = DceCodec.encode(pdu, Unpooled.buffer().alloc());
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    Peer send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    Peer send(RtsPdu pdu) throws IOException {
        return send(bytes(pdu));
    }

    Peer send(DcePdu pdu) throws IOException {
        return send(bytes(pdu));
    }

    /** One whole PDU by frag_length. */
    byte[] readPdu() throws IOException {
        byte[] header = new byte[16];
        in.readFully(header);
        int length = (header[8] & 0xff) | (header[9] & 0xff) << 8;
        byte[] pdu = new byte[length];
        System.arraycopy(header, 0, pdu, 0, 16);
        in.readFully(pdu, 16, length - 16);
        return pdu;
    }

    /** The next whole PDU, or null if none starts within {@code millis}. */
    byte[] readPduWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(5000);
        }
        if (first < 0) {
            throw new EOFException("closed");
        }
        byte[] header = new byte[16];
        header[0] = (byte) first;
        in.readFully(header, 1, 15);
        int length = (header[8] & 0xff) | (header[9] & 0xff) << 8;
        byte[] pdu = new byte[length];
        System.arraycopy(header, 0, pdu, 0, 16);
        in.readFully(pdu, 16, length - 16);
        return pdu;
    }

    RtsPdu readRts() throws IOException {
        return RpchCodec.decode(Unpooled.wrappedBuffer(readPdu()));
    }

    DcePdu readDce() throws IOException {
        return DceCodec.decode(Unpooled.wrappedBuffer(readPdu()));
    }

    /** True if nothing arrives for {@code millis} (the connection stays open). */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    /** True if the server closes the connection within 5 s (any bytes before the close are skipped). */
    boolean closedByServer() throws IOException {
        try {
            for (int i = 0; i < 1 << 20; i++) {
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
