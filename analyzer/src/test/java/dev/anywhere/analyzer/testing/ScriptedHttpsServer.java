package dev.anywhere.analyzer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A loopback HTTP(S) server that answers each request with what the test's function returns, to play a proxy that
 * answers right or wrong: 405 from "nginx", 401 without WWW-Authenticate, an echo, a router's login page. Each
 * connection serves requests until the function returns a response with "Connection: close" or the client leaves.
 */
public final class ScriptedHttpsServer implements AutoCloseable {

    /** A request as received: the head and how many body bytes followed (read up to the declared length, capped). */
    public record Request(String method, String target, String head, int connection) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int connections;

    public ScriptedHttpsServer(TestPki.Issued certificate, Function<Request, String> answer) throws Exception {
        if (certificate == null) {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } else {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", certificate.keys().getPrivate(), new char[0], certificate.chain().toArray(new java.security.cert.Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        pool.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int id = ++connections;
                    pool.execute(() -> serve(s, id, answer));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s, int id, Function<Request, String> answer) {
        try (s) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] first = head.split("\r\n", 2)[0].split(" ");
                Request r = new Request(first[0], first.length > 1 ? first[1] : "", head, id);
                requests.add(r);
                String len = r.header("Content-Length");
                if (len != null && Long.parseLong(len) <= 65536) {
                    in.readNBytes(Integer.parseInt(len));
                }
                String response = answer.apply(r);
                s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (response.toLowerCase(Locale.ROOT).contains("connection: close")) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    public List<Request> requests() {
        return requests;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }

    /** A response with a body, Content-Length set. */
    public static String response(String statusLine, String body, String... headers) {
        StringBuilder b = new StringBuilder(statusLine + "\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n\r\n").append(body).toString();
    }
}
