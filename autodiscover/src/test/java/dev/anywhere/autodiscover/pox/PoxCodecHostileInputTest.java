package dev.anywhere.autodiscover.pox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.anywhere.autodiscover.pox.PoxParseException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed documents: each is a typed {@link PoxParseException} (the service answers 600), in bounded
 * time, with nothing read from disk or network.
 */
class PoxCodecHostileInputTest {

    private static final String REQ_NS = PoxNamespaces.REQUEST;
    private static final String VALID_BODY = "<Request><EMailAddress>a@b.c</EMailAddress><AcceptableResponseSchema>"
            + PoxNamespaces.OUTLOOK_RESPONSE + "</AcceptableResponseSchema></Request>";

    private static PoxParseException refuse(String xml) {
        return refuse(xml.getBytes(StandardCharsets.UTF_8), PoxLimits.DEFAULT);
    }

    private static PoxParseException refuse(byte[] bytes, PoxLimits limits) {
        PoxParseException[] out = new PoxParseException[1];
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                PoxCodec.readRequest(bytes, limits);
            } catch (PoxParseException e) {
                out[0] = e;
            }
        });
        assertThat(out[0]).as("refused").isNotNull();
        assertThat(out[0].errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
        return out[0];
    }

    @Test
    void externalEntityReadsNoFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CANARY");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE Autodiscover [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]><Autodiscover xmlns=\"" + REQ_NS + "\"><Request><EMailAddress>&xxe;</EMailAddress>"
                + "<AcceptableResponseSchema>x</AcceptableResponseSchema></Request></Autodiscover>";
        PoxParseException e = refuse(xml);
        assertThat(e.reason()).isEqualTo(Reason.DTD_REFUSED);
        assertThat(e.getMessage())
                .isEqualTo("document type declaration: present (expected: none; DTDs and entities are refused)")
                .doesNotContain("CANARY");
    }

    @Test
    void externalEntityAndParameterEntityOpenNoConnection() throws Exception {
        try (ServerSocket trap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/evil.dtd";
            String general = "<!DOCTYPE a [<!ENTITY xxe SYSTEM \"" + url + "\">]><Autodiscover xmlns=\"" + REQ_NS
                    + "\">&xxe;</Autodiscover>";
            String parameter = "<!DOCTYPE a [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><Autodiscover xmlns=\""
                    + REQ_NS + "\"/>";
            String externalSubset = "<!DOCTYPE a SYSTEM \"" + url + "\"><Autodiscover xmlns=\"" + REQ_NS + "\"/>";
            for (String xml : new String[] {general, parameter, externalSubset}) {
                assertThat(refuse(xml).reason()).isEqualTo(Reason.DTD_REFUSED);
            }
            trap.setSoTimeout(200);
            assertThatThrownBy(trap::accept).as("no connection to the entity URL").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void billionLaughs() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            sb.append(("&lol" + (i - 1) + ";").repeat(10));
            sb.append("\">");
        }
        sb.append("]><Autodiscover xmlns=\"").append(REQ_NS).append("\">&lol9;</Autodiscover>");
        assertThat(refuse(sb.toString()).reason()).isEqualTo(Reason.DTD_REFUSED);
    }

    @Test
    void undeclaredEntityWithoutDtd() {
        PoxParseException e = refuse("<Autodiscover xmlns=\"" + REQ_NS + "\">&xxe;</Autodiscover>");
        assertThat(e.reason()).isIn(Reason.ENTITY_REFUSED, Reason.MALFORMED);
    }

    @Test
    void tenMegabyteBodyRefusedBeforeParsing() {
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        PoxParseException e = refuse(big, PoxLimits.DEFAULT);
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("document size: 10485760 bytes (expected: <= 65536)");
    }

    @Test
    void oversizedByteBufAndStreamRefused() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[70_000]);
        assertThatThrownBy(() -> PoxCodec.readRequest(buf, PoxLimits.DEFAULT))
                .isInstanceOf(PoxParseException.class).hasMessage("document size: 70000 bytes (expected: <= 65536)");
        assertThatThrownBy(() -> PoxCodec.readBounded(new ByteArrayInputStream(new byte[70_000]), PoxLimits.DEFAULT))
                .isInstanceOf(PoxParseException.class)
                .hasMessage("document size: more than 65536 bytes (expected: <= 65536)");
    }

    @Test
    void tenThousandDeepNestingIsTooLarge() {
        String deep = "<Autodiscover xmlns=\"" + REQ_NS + "\">" + "<a>".repeat(10_000) + "</a>".repeat(10_000)
                + "</Autodiscover>";
        assertThat(refuse(deep).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void tenThousandDeepNestingHitsDepthCapWithLargeByteCap() {
        String deep = "<Autodiscover xmlns=\"" + REQ_NS + "\">" + "<a>".repeat(10_000) + "</a>".repeat(10_000)
                + "</Autodiscover>";
        PoxParseException e = refuse(deep.getBytes(StandardCharsets.UTF_8), new PoxLimits(1 << 20, 16, 100_000));
        assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
        assertThat(e.getMessage()).isEqualTo("element depth: more than 16 (expected: <= 16)");
    }

    @Test
    void tooManyElements() {
        String wide = "<Autodiscover xmlns=\"" + REQ_NS + "\">" + "<a/>".repeat(3000) + "</Autodiscover>";
        PoxParseException e = refuse(wide);
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ELEMENTS);
        assertThat(e.getMessage()).isEqualTo("element count: more than 2048 (expected: <= 2048)");
    }

    @Test
    void wrongNamespace() {
        PoxParseException e = refuse("<Autodiscover xmlns=\"https://schemas.microsoft.com/exchange/autodiscover/"
                + "outlook/requestschema/2006\">" + VALID_BODY + "</Autodiscover>");
        assertThat(e.reason()).isEqualTo(Reason.WRONG_NAMESPACE);
        assertThat(e.getMessage()).isEqualTo("Autodiscover namespace: "
                + "\"https://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\" (expected: "
                + REQ_NS + ")");
        assertThat(refuse("<Autodiscover>" + VALID_BODY + "</Autodiscover>").getMessage())
                .isEqualTo("Autodiscover namespace: \"\" (expected: " + REQ_NS + ")");
    }

    @Test
    void wrongRoot() {
        PoxParseException e = refuse("<html><body>hello</body></html>");
        assertThat(e.reason()).isEqualTo(Reason.WRONG_ROOT);
        assertThat(e.getMessage()).isEqualTo("root element: html (expected: Autodiscover)");
    }

    @Test
    void nonXml() {
        assertThat(refuse("{\"EMailAddress\":\"a@b.c\"}").reason()).isEqualTo(Reason.MALFORMED);
        assertThat(refuse(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, PoxLimits.DEFAULT).reason())
                .isEqualTo(Reason.MALFORMED);
        assertThat(refuse("").getMessage()).isEqualTo("document: empty (expected: an Autodiscover XML document)");
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\"><Request>").reason()).isEqualTo(Reason.MALFORMED);
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\">" + VALID_BODY + "</Autodiscover><x/>").reason())
                .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void missingAndDuplicateElements() {
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\"/>").getMessage())
                .isEqualTo("Request: absent in Autodiscover (expected: present)");
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\"><Request><EMailAddress>a@b.c</EMailAddress>"
                + "</Request></Autodiscover>").getMessage())
                .isEqualTo("AcceptableResponseSchema: absent in Request (expected: present)");
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\"><Request><AcceptableResponseSchema>x"
                + "</AcceptableResponseSchema></Request></Autodiscover>").getMessage())
                .isEqualTo("Request: no EMailAddress and no LegacyDN (expected: at least one, non-empty)");
        assertThat(refuse("<Autodiscover xmlns=\"" + REQ_NS + "\"><Request><EMailAddress>a@b.c</EMailAddress>"
                + "<EMailAddress>d@e.f</EMailAddress><AcceptableResponseSchema>x</AcceptableResponseSchema>"
                + "</Request></Autodiscover>").getMessage())
                .isEqualTo("EMailAddress: appears twice (expected: at most once)");
    }

    @Test
    void invalidResponseValues() {
        String head = "<Autodiscover xmlns=\"" + PoxNamespaces.RESPONSE + "\"><Response xmlns=\""
                + PoxNamespaces.OUTLOOK_RESPONSE + "\"><Account><Action>settings</Action><Protocol><Type>EXPR</Type>";
        String tail = "</Protocol></Account></Response></Autodiscover>";
        assertThatThrownBy(() -> PoxCodec.readResponse((head + "<SSL>yes</SSL>" + tail).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoxParseException.class).hasMessage("SSL: \"yes\" (expected: On or Off, any case)");
        assertThatThrownBy(() -> PoxCodec.readResponse(
                (head + "<AuthPackage>Digest</AuthPackage>" + tail).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoxParseException.class).hasMessage("AuthPackage: \"Digest\" (expected: Basic, Kerb, "
                        + "KerbNtlm, Ntlm, Certificate, Negotiate, Nego2 or Anonymous, any case)");
        assertThatThrownBy(() -> PoxCodec.readResponse((head + "<TTL>x</TTL>" + tail).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoxParseException.class).hasMessage("TTL: \"x\" (expected: a decimal integer)");
        assertThatThrownBy(() -> PoxCodec.readResponse(("<Autodiscover xmlns=\"" + PoxNamespaces.RESPONSE
                + "\"><Response xmlns=\"urn:other\"/></Autodiscover>").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoxParseException.class)
                .hasMessage("Response namespace: \"urn:other\" (expected: " + PoxNamespaces.OUTLOOK_RESPONSE + ")");
    }

    @Test
    void writerRefusesControlCharacters() {
        assertThatThrownBy(() -> PoxCodec.writeRequest(AutodiscoverRequest.forEmail("a\u0001@b.c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text: contains U+0001 (expected: XML 1.0 characters only)");
    }
}
