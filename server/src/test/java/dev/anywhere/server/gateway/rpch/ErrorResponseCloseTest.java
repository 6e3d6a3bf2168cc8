package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error response that closes the connection reaches the client whole even when the client keeps sending (RFC 9112
 * 9.6): the gateway half-closes and discards what follows instead of closing with unread bytes, which the kernel
 * answers with a reset that can destroy the response before the client reads it.
 */
@Timeout(30)
class ErrorResponseCloseTest {

    @TempDir
    Path dataDir;

    Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = RpcProxyTest.plainGateway(dataDir, RpcProxyTest.CREDENTIALS, RpcProxyTest.testSettings(), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void bytesSentAfterAClosingErrorDoNotResetTheResponse() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.address().getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                // the request and what a client still had on the way (a pipelined PDU, a body) in one write: the
                // gateway answers the head while most of the rest is still unread in its socket
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.writeBytes("GET /nothing-here HTTP/1.1\r\nHost: ex1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(new byte[64 * 1024]);
                out.write(request.toByteArray());
                out.flush();
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                s.getInputStream().transferTo(response); // a reset instead of the end of the stream fails here
                assertThat(response.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 404 ").contains("connection: close");
            }
        }
    }

    @Test
    void theDiscardedBytesAreNeverReadAsASecondRequest() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /nothing-here HTTP/1.1\r\nHost: ex1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            response.write(in.read());
            out.write("GET /rpc/rpcproxy.dll HTTP/1.1\r\nHost: ex1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.US_ASCII);
            assertThat(text.split("HTTP/1\\.", -1)).hasSize(2); // one response, nothing for the second request
        }
    }
}
