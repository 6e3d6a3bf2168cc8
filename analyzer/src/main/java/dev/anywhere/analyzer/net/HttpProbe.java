package dev.anywhere.analyzer.net;

import java.io.BufferedInputStream;
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
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One HTTP/1.1 connection for probing a proxy with exactly the bytes Outlook sends (custom methods, Content-Length
 * classes, connection-bound NTLM), recording a transcript. How the server's certificate is judged is the caller's
 * {@link ServerTrust}: a probe without credentials may look behind a bad certificate, a probe with credentials needs
 * a verified server (or the user's {@code --insecure}). Every response body is read to its end (Content-Length,
 * chunked, or until the server closes) so the next request on the connection, NTLM's AUTHENTICATE above all, starts
 * on a clean message boundary; a body too large to drain makes the connection unusable instead.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-6.3">RFC 9112 §6.3</a> message body length
 */
public final class HttpProbe implements AutoCloseable {

    /** Body bytes kept for the evidence and the checks; the rest is read and discarded. */
    static final int MAX_BODY = 64 * 1024;
    /** Body bytes read at most; beyond that the connection is closed rather than drained. */
    static final long MAX_DRAIN = 4L * 1024 * 1024;
    /** A chunk-size or trailer line longer than this is not HTTP. */
    private static final int MAX_LINE = 8 * 1024;

    /**
     * One response: status line, headers in order, the body's first {@link #MAX_BODY} bytes, and its full length.
     */
    public record Response(String statusLine, List<Map.Entry<String, String>> headers, byte[] body, long bodyLength) {
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

    /** The server's certificate was not accepted by a verifying {@link ServerTrust}: nothing was sent. */
    public static final class CertificateRejected extends IOException {
        CertificateRejected(String host, Throwable cause) {
            super("the certificate of " + host + " was not accepted (chain, name or dates); nothing was sent", cause);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder transcript = new StringBuilder();
    private final String host;
    private final boolean credentialsAllowed;
    /** Why the connection cannot carry another request; null while it can. */
    private String unusable;

    private HttpProbe(Socket socket, String host, boolean credentialsAllowed) throws IOException {
        this.socket = socket;
        this.host = host;
        this.credentialsAllowed = credentialsAllowed;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and, with {@code tls}, handshakes as {@code trust} says: a verifying trust checks the chain, the dates
     * and {@code host} (the name the client dialled, also sent as SNI).
     *
     * @throws CertificateRejected when a verifying trust refused the certificate
     */
    public static HttpProbe open(InetSocketAddress address, String host, boolean tls, int timeoutMillis, ServerTrust trust)
            throws IOException {
        Socket plain = new Socket();
        plain.connect(address, timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        if (!tls) {
            return new HttpProbe(plain, host, true);
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust.trustManager()}, null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, address.getPort(), true);
            SSLParameters p = s.getSSLParameters();
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            if (trust.checksHostName()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            s.setSSLParameters(p);
            s.setSoTimeout(timeoutMillis);
            try {
                s.startHandshake();
            } catch (SSLHandshakeException e) {
                s.close();
                if (trust.checksHostName() && causedByCertificate(e)) {
                    throw new CertificateRejected(host, e);
                }
                throw e;
            }
            return new HttpProbe(s, host, trust.allowsCredentials());
        } catch (java.security.GeneralSecurityException e) {
            plain.close();
            throw new IOException("tls: " + e.getMessage(), e);
        }
    }

    private static boolean causedByCertificate(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** The certificate the server presented on this connection; empty over plain HTTP. */
    public java.util.Optional<java.security.cert.X509Certificate> peerCertificate() {
        if (!(socket instanceof SSLSocket s)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return java.util.Optional.empty();
        }
    }

    /** Sends a request head (and body) as RPC over HTTP clients do, and reads the answer. */
    public Response send(String method, String target, long contentLength, List<String> extraHeaders, byte[] body) throws IOException {
        if (!credentialsAllowed && extraHeaders.stream().anyMatch(h -> h.regionMatches(true, 0, "Authorization:", 0, 14))) {
            throw new IllegalStateException("credentials on a connection whose certificate was not verified");
        }
        if (unusable != null) {
            throw new IOException(unusable);
        }
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
        while (r.status() >= 100 && r.status() < 200 && r.status() != 101) {
            r = read();
        }
        return r;
    }

    private Response read() throws IOException {
        String head = readHead();
        transcript.append(head);
        String[] lines = head.split("\r\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        Response bare = new Response(lines[0], headers, new byte[0], 0);
        int status = bare.status();
        if ((status >= 100 && status < 200) || status == 204 || status == 304) {
            return bare;
        }
        Body body = new Body();
        try {
            readBody(bare, body);
        } catch (IOException e) {
            unusable(e.getMessage());
            throw e;
        }
        byte[] kept = body.kept.toByteArray();
        if (body.length > 0) {
            transcript.append(printable(kept, body.length)).append("\r\n");
        }
        return new Response(lines[0], headers, kept, body.length);
    }

    /** The body's first bytes and its length. */
    private static final class Body {
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length;

        /** Takes {@code n} bytes; false when the body has grown past {@link #MAX_DRAIN}. */
        boolean add(byte[] buf, int n) {
            int keep = (int) Math.min(n, Math.max(0, MAX_BODY - length));
            kept.write(buf, 0, keep);
            length += n;
            return length <= MAX_DRAIN;
        }
    }

    /** RFC 9112 §6.3: Transfer-Encoding first, then Content-Length, else the body ends when the server closes. */
    private void readBody(Response r, Body body) throws IOException {
        List<String> te = r.headers("Transfer-Encoding");
        if (!te.isEmpty()) {
            String[] codings = String.join(",", te).split(",");
            if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                readChunked(body);
            } else {
                readUntilClose(body);
            }
            return;
        }
        List<String> lengths = r.headers("Content-Length");
        if (lengths.isEmpty()) {
            readUntilClose(body);
            return;
        }
        long length;
        try {
            length = Long.parseLong(lengths.get(0));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || lengths.stream().anyMatch(l -> !l.equals(lengths.get(0)))) {
            throw new IOException("the response's Content-Length " + String.join(", ", lengths) + " is invalid (RFC 9112 §6.3)");
        }
        readExactly(body, length);
    }

    private void readExactly(Body body, long length) throws IOException {
        // Past the bound only what is kept is read; the rest stays unread and the connection is closed below.
        long toRead = length > MAX_DRAIN ? MAX_BODY : length;
        byte[] buf = new byte[8192];
        long left = toRead;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("the server closed the connection " + (toRead - left) + " bytes into a body of " + length);
            }
            body.add(buf, n);
            left -= n;
        }
        if (length > MAX_DRAIN) {
            body.length = length;
            unusable("the response body has " + length + " bytes, more than the " + MAX_DRAIN + " read at most; the connection "
                    + "was closed instead of reused");
        }
    }

    /** @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-7.1">RFC 9112 §7.1</a> chunked transfer coding */
    private void readChunked(Body body) throws IOException {
        while (true) {
            String line = readLine("chunk size");
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new IOException("chunked body: '" + abbreviate(line) + "' is not a chunk size (RFC 9112 §7.1)");
            }
            if (size == 0) {
                while (!readLine("trailer").isEmpty()) {
                    // Trailer fields carry nothing the probe needs.
                }
                return;
            }
            if (body.length + size > MAX_DRAIN) {
                unusable("the chunked response body grew past the " + MAX_DRAIN + " bytes read at most; the connection was closed "
                        + "instead of reused");
                return;
            }
            readExactly(body, size);
            if (!readLine("chunk end").isEmpty()) {
                throw new IOException("chunked body: a chunk does not end with CRLF (RFC 9112 §7.1)");
            }
        }
    }

    private void readUntilClose(Body body) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (!body.add(buf, n)) {
                break;
            }
        }
        unusable("the server ends its responses by closing the connection");
    }

    /** Marks the connection as unable to carry another request and closes it, so no stale bytes are ever read. */
    private void unusable(String why) throws IOException {
        if (unusable == null) {
            unusable = why;
            transcript.append("[").append(why).append("]\r\n");
        }
        socket.close();
    }

    private String readLine(String what) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection in the middle of the chunked body (" + what + ")");
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("chunked body: a " + what + " line over " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
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

    private static String printable(byte[] body, long length) {
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
        if (length > n) {
            s.append("… (").append(length).append(" bytes)");
        }
        return s.toString();
    }

    /** What was sent and received so far; the Evidence that carries it redacts credentials. */
    public String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
