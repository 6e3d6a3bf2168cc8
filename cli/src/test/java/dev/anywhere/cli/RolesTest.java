package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A role that cannot bind its socket says why in one line, never as an LDAP result code or an exception name. */
class RolesTest {

    @Test
    void aPrivilegedPortWithoutPrivilegeNamesTheCapability() {
        assertThat(Roles.cannotListen("directory", "127.0.100.250:389", 389, new BindException("Permission denied")))
                .isEqualTo("directory: cannot listen on 127.0.100.250:389: permission denied: ports below 1024 need root or "
                        + "CAP_NET_BIND_SERVICE (or choose a port from 1024 up)");
        assertThat(Roles.cannotListen("gateway", "127.0.0.1:8443", 8443, new BindException("Permission denied")))
                .isEqualTo("gateway: cannot listen on 127.0.0.1:8443: permission denied");
        assertThat(Roles.cannotListen("endpoints", "10.9.9.9 [6001]", 6001, new BindException("Cannot assign requested address")))
                .isEqualTo("endpoints: cannot listen on 10.9.9.9 [6001]: this machine has no such address");
    }

    /** epoll and io_uring report a failed bind with their own exception, whose message carries the errno. */
    @Test
    void nativeTransportsBindFailuresAreNamedToo() {
        java.io.IOException inUse = new java.io.IOException("bind(..) failed with error(-98): Address already in use");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Roles.listening("gateway", "127.0.0.1:8443", 8443, () -> {
            throw new IllegalStateException("start failed", inUse);
        })).hasMessage("gateway: cannot listen on 127.0.0.1:8443: the address is already in use by another process");
        assertThat(Roles.cannotListen("gateway", "127.0.0.1:443", 443, new java.io.IOException("bind(..) failed with error(-13)")))
                .isEqualTo("gateway: cannot listen on 127.0.0.1:443: permission denied: ports below 1024 need root or "
                        + "CAP_NET_BIND_SERVICE (or choose a port from 1024 up)");
    }

    @Test
    void directoryOnATakenPortSaysSo(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            String listen = "127.0.0.1:" + taken.getLocalPort();
            int code = cl.execute("directory", "serve", "--data-dir", dir.toString(), "--listen", listen);
            assertThat(code).isEqualTo(Anywhere.INTERNAL);
            assertThat(err.toString()).isEqualTo("anywhere: directory: cannot listen on " + listen
                    + ": the address is already in use by another process" + System.lineSeparator());
        }
    }
}
