package dev.anywhere.analyzer.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 connection for probing a proxy with exactly the bytes Outlook sends (custom methods, Content-Length
 * classes, connection-bound NTLM), recording a transcript. The certificate is judged elsewhere; here any chain is
 * accepted so the probe can go on and say what lies behind a bad certificate.
 */
public final class HttpProbe implements AutoCloseable {

    /** Bodies read at most; a proxy answering a probe with more is cut off (and says something by that). */
    static final int MAX_BODY = 64 * 1024;

    /** One response: status line, headers in order, body, and whether the server closed the connection after it. */
    public record Response(String statusLine, List<Map.Entry<String, String>> headers, byte[] body) {
        public int status() {
            String[] parts = statusLine.split(" ", 3);
            try {
                return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        public String reason() {
            String[] parts = statusLine.split(" ", 3);
            return parts.length > 2 ? parts[2] : "";
        }

        public String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        public List<String> headers(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        public String version() {
            return statusLine.split(" ", 2)[0];
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder transcript = new StringBuilder();
    private final String host;

    private HttpProbe(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static HttpProbe open(InetSocketAddress address, String host, boolean tls, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        plain.connect(address, timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        if (!tls) {
            return new HttpProbe(plain, host);
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AcceptAll()}, null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, address.getPort(), true);
            SSLParameters p = s.getSSLParameters();
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            s.setSSLParameters(p);
            s.setSoTimeout(timeoutMillis);
            s.startHandshake();
            return new HttpProbe(s, host);
        } catch (java.security.GeneralSecurityException e) {
            plain.close();
            throw new IOException("tls: " + e.getMessage(), e);
        }
    }

    /** Sends a request head (and body) as RPC over HTTP clients do, and reads the answer. */
    public Response send(String method, String target, long contentLength, List<String> extraHeaders, byte[] body) throws IOException {
        StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Accept: application/rpc\r\nUser-Agent: MSRPC\r\nCache-Control: no-cache\r\nConnection: Keep-Alive\r\nPragma: No-cache\r\n");
        if (contentLength >= 0) {
            req.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        extraHeaders.forEach(h -> req.append(h).append("\r\n"));
        req.append("\r\n");
        transcript.append(req);
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body.length > 0) {
            out.write(body);
            transcript.append("[").append(body.length).append(" body bytes]\r\n");
        }
        out.flush();
        Response r = read();
        if (r.status() == 100) {
            r = read();
        }
        return r;
    }

    private Response read() throws IOException {
        String head = readHead();
        transcript.append(head);
        String[] lines = head.split("\r\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                headers.add(Map.entry(name, value));
                if (name.equalsIgnoreCase("content-length")) {
                    try {
                        length = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        length = -1;
                    }
                }
            }
        }
        byte[] body = new byte[0];
        int status = new Response(lines[0], headers, body).status();
        if (status != 100 && status != 204 && status != 304) {
            if (length >= 0) {
                body = in.readNBytes(Math.min(length, MAX_BODY));
            } else if (lines[0].startsWith("HTTP/1.0") || headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("connection")
                    && h.getValue().equalsIgnoreCase("close"))) {
                body = in.readNBytes(MAX_BODY);
            }
        }
        if (body.length > 0) {
            transcript.append(printable(body)).append("\r\n");
        }
        return new Response(lines[0], headers, body);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException(b.size() == 0 ? "the server closed the connection without answering"
                        : "the server closed the connection in the middle of the response head");
            }
            if (b.size() > 16 * 1024) {
                throw new IOException("response head over 16 KiB");
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] body) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(body.length, 512);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int c = body[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c > 0x7e) {
                text = false;
                break;
            }
        }
        if (text) {
            s.append(new String(body, 0, n, StandardCharsets.ISO_8859_1));
        } else {
            for (int i = 0; i < n; i++) {
                s.append(String.format(Locale.ROOT, "%02x", body[i] & 0xff)).append(i % 16 == 15 ? "\r\n" : " ");
            }
        }
        if (body.length > n) {
            s.append("… (").append(body.length).append(" bytes)");
        }
        return s.toString();
    }

    /** What was sent and received so far; the Evidence that carries it redacts credentials. */
    public String transcript() {
        return transcript.toString();
    }

    /** Whether the server has closed the connection (a read sees end of stream). */
    public boolean closedByServer() {
        try {
            socket.setSoTimeout(200);
            return in.read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
