package dev.anywhere.server.autodiscover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.testing.RawHttp;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutodiscoverRedirectServerTest {

    private static final AutodiscoverRedirectServer.Options PORT_443 =
            new AutodiscoverRedirectServer.Options(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), 443);

    @Test
    void locationFromTheHostHeader() {
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.GET, "/Autodiscover/Autodiscover.xml",
                "autodiscover.frankysweb.org")).contains("https://autodiscover.frankysweb.org/autodiscover/autodiscover.xml");
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.GET, "/autodiscover/autodiscover.xml?x=1",
                "AUTODISCOVER.frankysweb.org:80")).contains("https://autodiscover.frankysweb.org/autodiscover/autodiscover.xml");
        AutodiscoverRedirectServer.Options shifted =
                new AutodiscoverRedirectServer.Options(new InetSocketAddress("127.0.0.1", 0), Optional.of("frankysweb.org"), 10443);
        assertThat(AutodiscoverRedirectServer.location(shifted, HttpMethod.GET, "/autodiscover/autodiscover.xml", "127.0.100.251"))
                .contains("https://autodiscover.frankysweb.org:10443/autodiscover/autodiscover.xml");
    }

    @Test
    void everythingElseIs404() {
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.POST, "/autodiscover/autodiscover.xml",
                "autodiscover.frankysweb.org")).isEmpty();
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.GET, "/owa/", "autodiscover.frankysweb.org")).isEmpty();
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.GET, "/autodiscover/autodiscover.xml",
                "mail.frankysweb.org")).isEmpty();
        assertThat(AutodiscoverRedirectServer.location(PORT_443, HttpMethod.GET, "/autodiscover/autodiscover.xml", null)).isEmpty();
        assertThat(AutodiscoverRedirectServer.domainFromHost("autodiscover.")).isEmpty();
        assertThat(AutodiscoverRedirectServer.domainFromHost("autodiscover.evil\r\nx")).isEmpty();
        assertThat(AutodiscoverRedirectServer.domainFromHost("autodiscover.a..b")).isEmpty();
    }

    @Test
    void overTheWire() throws Exception {
        try (AutodiscoverRedirectServer s = AutodiscoverRedirectServer.start(PORT_443)) {
            try (RawHttp h = new RawHttp(new Socket("127.0.0.1", s.address().getPort()))) {
                RawHttp.Response r = h.send("GET /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(302);
                assertThat(r.header("Location")).isEqualTo("https://autodiscover.frankysweb.org/autodiscover/autodiscover.xml");
                assertThat(h.closedByPeer()).isTrue();
            }
            try (RawHttp h = new RawHttp(new Socket("127.0.0.1", s.address().getPort()))) {
                assertThat(h.send("POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\n"
                        + "Content-Length: 3\r\n\r\nabc").read().status()).isEqualTo(404);
            }
        }
    }
}
