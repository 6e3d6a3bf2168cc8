package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendResolverTest {

    @Test
    void overridesAreCaseInsensitiveAndWinOverDns() throws Exception {
        InetAddress ex1 = InetAddress.getByName("127.0.100.251");
        BackendResolver r = BackendResolver.of(Map.of("ex1.frankysweb.local", ex1)).withOverride(ex1, "EX1");
        assertThat(r.resolve("ex1", GlobalEventExecutor.INSTANCE).get()).isEqualTo(ex1);
        assertThat(r.resolve("EX1.FrankysWeb.Local.", GlobalEventExecutor.INSTANCE).get()).isEqualTo(ex1);
    }

    @Test
    void literalsNeedNoLookup() throws Exception {
        BackendResolver r = BackendResolver.system().withoutSystemDns();
        assertThat(r.resolve("127.0.0.7", GlobalEventExecutor.INSTANCE).get().getHostAddress()).isEqualTo("127.0.0.7");
        assertThat(r.resolve("[::1]", GlobalEventExecutor.INSTANCE).get().isLoopbackAddress()).isTrue();
    }

    @Test
    void withoutSystemDnsAnUnknownNameFails() {
        var f = BackendResolver.system().withoutSystemDns().resolve("dc1.frankysweb.local", GlobalEventExecutor.INSTANCE);
        assertThat(f.isDone()).isTrue();
        assertThat(f.cause()).isInstanceOf(UnknownHostException.class).hasMessage("dc1.frankysweb.local: not in the backend overrides");
    }
}
