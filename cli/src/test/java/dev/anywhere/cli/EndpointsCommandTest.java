package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code anywhere endpoints}: usage errors and a port that is taken; the serving itself is tested in server. */
class EndpointsCommandTest extends CommandTestBase {


    @Test
    void badPortIsAUsageError() {
        assertThat(run("endpoints", "--listen", "127.0.0.1", "--ports", "6001,x")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --ports: 'x' (expected: a port number, e.g. 6001)" + System.lineSeparator());
        assertThat(run("endpoints", "--listen", "127.0.0.1", "--ports", "70000")).isEqualTo(Anywhere.USAGE);
        assertThat(err).contains("--ports: port 70000 (expected: 0..65535)");
    }

    @Test
    void portInUseIsReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = run("endpoints", "--listen", "127.0.0.1", "--ports", Integer.toString(taken.getLocalPort()));
            assertThat(code).isEqualTo(Anywhere.INTERNAL); // 3: a peer (here: the port) is not available
            // Without a directory password the endpoints still start: EPM and MGMT, anonymous NTLM binds only.
            assertThat(err).isEqualTo("anywhere: warning: no directory password: set ANYWHERE_BIND_PASSWORD or use "
                    + "--bind-password-file (the embedded directory writes it to <data-dir>/svc-anywhere.password); "
                    + "serving the endpoint mapper and management only (RFR, NSPI and EMSMDB need the directory), and "
                    + "only anonymous NTLM binds will be accepted." + System.lineSeparator()
                    + "anywhere: endpoints: cannot listen on 127.0.0.1 [" + taken.getLocalPort()
                    + "]: the address is already in use by another process" + System.lineSeparator());
        }
    }
}
