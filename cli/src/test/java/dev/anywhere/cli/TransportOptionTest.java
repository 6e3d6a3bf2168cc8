package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.net.NettyTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --transport}: an unknown transport is a usage error naming the choices; a known one is set for the process. */
class TransportOptionTest {

    @AfterEach
    void clear() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    @Test
    void anUnknownTransportIsAUsageErrorNamingTheChoices() {
        for (String command : new String[] {"gateway", "endpoints", "lab"}) {
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute(command, "--transport", "kqueue")).as(err.toString()).isEqualTo(Anywhere.USAGE);
            assertThat(err.toString()).contains("--transport")
                    .contains("transport: 'kqueue' (expected: auto, epoll, io_uring or nio)").doesNotContain("Exception");
        }
        assertThat(System.getProperty(NettyTransport.PROPERTY)).isNull();
    }

    @Test
    void aKnownTransportIsSetForTheServersThisProcessStarts() {
        new CommandLine(new TransportOption()).parseArgs("--transport", "IO_URING");
        assertThat(System.getProperty(NettyTransport.PROPERTY)).isEqualTo("io_uring");
        assertThat(TransportOption.jvmOption()).contains("-Danywhere.transport=io_uring");
    }
}
