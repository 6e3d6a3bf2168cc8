package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.analyzer.rpch.RpchFailure.Text;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/**
 * The RPC client's failure lines from the analyzer's bundle: English exactly as rpcping has always printed it, and the
 * same line in German for a German report, nested parts and causes rendered in that language too.
 */
class RpchFailureTextTest {

    private static final Messages DE = Messages.of("de");

    @Test
    void aBundledDetailIsTheOldEnglishLineAndGermanForAGermanReport() {
        RpchFailure f = new RpchFailure(Hop.HTTP, Kind.HTTP_NOT_FOUND, Text.of("http.404", "what", Text.of("what.echo"), "status",
                "404 Not Found", "path", RpchClientOptions.PATH, "host", "oa.frankysweb.org"), null);
        assertThat(f.getMessage()).isEqualTo("http: echo request: 404 Not Found, no RPC proxy at /rpc/rpcproxy.dll (expected: Outlook "
                + "Anywhere enabled on oa.frankysweb.org)");
        assertThat(f.detail(DE)).hasValue("Echo-Anfrage: „404 Not Found“, kein RPC-Proxy unter /rpc/rpcproxy.dll (erwartet: Outlook "
                + "Anywhere auf oa.frankysweb.org eingeschaltet)");
        assertThat(TextAudit.englishWords(f.detail(DE).orElseThrow())).isEmpty();
    }

    @Test
    void aCauseIsTheBundlesSentenceInEachLanguageNeverAClassName() {
        RpchFailure f = new RpchFailure(Hop.TLS, Kind.TLS_HANDSHAKE, Text.of("tls.failed", "host", "oa.frankysweb.org", "cause",
                new ClosedChannelException()), null);
        assertThat(f.detail()).isEqualTo("handshake with oa.frankysweb.org: the other side closed the connection without an answer "
                + "(expected: a successful TLS handshake)");
        assertThat(f.detail(DE)).hasValue("Handshake mit oa.frankysweb.org: die Gegenseite hat die Verbindung ohne Antwort geschlossen "
                + "(erwartet: ein erfolgreicher TLS-Handshake)");
    }

    @Test
    void anOptionalPartIsLeftOutOrSaidInTheLanguage() {
        Text timeout = Text.of("not-received", "what", "CONN/A3", "ms", 3000, "waiting", Text.of("pdus-waiting", "count", 2));
        assertThat(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.TIMEOUT, timeout, null).detail())
                .isEqualTo("CONN/A3 not received within 3000 ms; 2 PDUs wait for the inbound proxy's flow control window");
        assertThat(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.TIMEOUT, timeout, null).detail(DE))
                .hasValue("CONN/A3 nicht binnen 3000 ms empfangen; 2 PDUs warten auf das Flusskontrollfenster des eingehenden Proxys");
        assertThat(new RpchFailure(Hop.PROXY, Kind.TIMEOUT, Text.of("not-received", "what", "CONN/C2", "ms", 5, "waiting", ""), null)
                .detail()).isEqualTo("CONN/C2 not received within 5 ms");
    }

    @Test
    void aLineWrittenInEnglishOnlyHasNoGermanDetail() {
        assertThat(new RpchFailure(Hop.CALL, Kind.RPC_FAULT, "is_server_listening: false").detail(DE)).isEmpty();
    }

    /** profile connect's cause: the client's line in the report's language; an English-only line only in English. */
    @Test
    void aStepsCauseIsSaidInTheLanguageWhenItIsATextOfTheBundle() {
        Text closed = Text.of("label.VIRTUAL_CONNECTION");
        OutlookSequence.Cause c = new OutlookSequence.Cause("rpch.closed", "virtual connection: the proxy closed the IN channel while open",
                java.util.Optional.of(Text.of("hop-line", "hop", closed, "detail", Text.of("fault.closed-while-open", "channel", "IN"))));
        assertThat(c.detail(Messages.of("en"))).hasValue(c.detail());
        assertThat(c.detail(DE)).hasValue("virtuelle Verbindung: der Proxy hat den offenen IN-Kanal geschlossen");
        OutlookSequence.Cause englishOnly = new OutlookSequence.Cause("rfr.not-found", "NotFound(0x8004010f): no Exchange server has that DN");
        assertThat(englishOnly.detail(Messages.of("en"))).hasValue(englishOnly.detail());
        assertThat(englishOnly.detail(DE)).isEmpty();
    }
}
