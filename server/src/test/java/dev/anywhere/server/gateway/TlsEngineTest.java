package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

/** BoringSSL is the gateway's engine where tcnative loads (linux-x86_64, and always in CI); the property forces the JDK's. */
class TlsEngineTest {

    @Test
    void boringSslWhereItLoadsAndTheJdkOnRequest() {
        Peers.require(OpenSsl.isAvailable(), "netty-tcnative BoringSSL (linux-x86_64): " + OpenSsl.unavailabilityCause());
        assertThat(TlsEngine.serverProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsEngine.describe()).startsWith("OpenSSL (BoringSSL");
        String old = System.getProperty(TlsEngine.PROPERTY);
        System.setProperty(TlsEngine.PROPERTY, "jdk");
        try {
            assertThat(TlsEngine.serverProvider()).isEqualTo(SslProvider.JDK);
            assertThat(TlsEngine.describe()).contains("anywhere.tls.provider=jdk");
        } finally {
            if (old == null) {
                System.clearProperty(TlsEngine.PROPERTY);
            } else {
                System.setProperty(TlsEngine.PROPERTY, old);
            }
        }
    }
}
