package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPdus;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** A test-only RPC over HTTP v2 client on raw sockets: what impacket sends, byte for byte, with Basic. */
class RpchTestClient implements AutoCloseable {

    static final String BASIC = basic("FRANKYSWEB\\franky", "Secret-1");

    final UUID vc;
    final UUID inCookie = UUID.randomUUID();
    final UUID outCookie = UUID.randomUUID();
    final UUID group = UUID.randomUUID();
    final int gatewayPort;
    /** The Authorization header value of every channel this client opens. */
    final String authorization;
    Socket in;
    Socket out;
    DataInputStream outStream;

    RpchTestClient(int gatewayPort) {
        this(gatewayPort, BASIC, UUID.randomUUID());
    }

    /** A client authenticating with {@code authorization} and using virtual connection cookie {@code vc}. */
    RpchTestClient(int gatewayPort, String authorization, UUID vc) {
        this.gatewayPort = gatewayPort;
        this.authorization = authorization;
        this.vc = vc;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String head(String method, String target, long length) {
        return head(method, target, length, BASIC);
    }

    static String head(String method, String target, long length, String authorization) {
        return method + " /rpc/rpcproxy.dll?" + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n"
                + "User-Agent: MSRPC\r\nCache-Control: no-cache\r\nConnection: Keep-Alive\r\nExpect: 100-continue\r\n"
                + "Accept: application/rpc\r\nPragma: No-cache\r\nContent-Length: " + length + "\r\nAuthorization: "
                + authorization + "\r\n\r\n";
    }

    /** Opens a channel: sends the head, returns the interim response read alone (the 100 Continue). */
    Socket open(String method, String target, long length, StringBuilder interim) throws IOException {
        Socket s = new Socket("127.0.0.1", gatewayPort);
        s.setSoTimeout(5000);
        s.getOutputStream().write(head(method, target, length, authorization).getBytes(StandardCharsets.US_ASCII));
        interim.append(readHead(s.getInputStream()));
        return s;
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after '" + b.toString(StandardCharsets.US_ASCII) + "'");
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                    : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(RtsPdu pdu) {
        return ScriptedRpchServer.bytes(pdu);
    }

    void sendIn(byte[] b) throws IOException {
        in.getOutputStream().write(b);
        in.getOutputStream().flush();
    }

    void sendOut(byte[] b) throws IOException {
        out.getOutputStream().write(b);
        out.getOutputStream().flush();
    }

    RtsPdu readRts() throws IOException {
        byte[] pdu = ScriptedRpchServer.readPdu(outStream);
        if (pdu[2] != 20) {
            throw new IOException("expected RTS, got PTYPE " + pdu[2]);
        }
        return RpchCodec.decode(Unpooled.wrappedBuffer(pdu));
    }

    byte[] readPdu() throws IOException {
        return ScriptedRpchServer.readPdu(outStream);
    }

    /** Opens both channels the way impacket does; returns the OUT response head. */
    String connect(String target, long clientWindow) throws IOException {
        StringBuilder interim = new StringBuilder();
        in = open("RPC_IN_DATA", target, 1073741824L, interim);
        out = open("RPC_OUT_DATA", target, 76, interim);
        sendOut(bytes(RtsPdus.connA1(1, vc, outCookie, clientWindow)));
        sendIn(bytes(RtsPdus.connB1(1, vc, inCookie, 1073741824L, 300_000, group)));
        outStream = new DataInputStream(out.getInputStream());
        String head = readHead(out.getInputStream());
        return interim + head;
    }

    /**
     * Opens a replacement OUT channel (OUT_R1/A3 with this client's cookies and {@code successor}) and returns it once
     * its response head arrived, which must be {@code 200 Success}.
     */
    Socket replacementOut(String target, UUID successor) throws IOException {
        Socket s = open("RPC_OUT_DATA", target, 120, new StringBuilder());
        s.getOutputStream().write(bytes(RtsPdus.outR1A3(1, vc, outCookie, successor, 65536)));
        String head = readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 200 Success\r\n")) {
            s.close();
            throw new IOException("replacement OUT channel answered: " + head);
        }
        return s;
    }

    /** Continues on the replacement OUT channel {@code replacement}; the old one is closed. */
    void switchOut(Socket replacement) throws IOException {
        out.close();
        out = replacement;
        outStream = new DataInputStream(replacement.getInputStream());
    }

    void ackOut(long bytesReceived, long window) throws IOException {
        sendIn(bytes(RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, bytesReceived, window, outCookie)));
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
        if (out != null) {
            out.close();
        }
    }
}
