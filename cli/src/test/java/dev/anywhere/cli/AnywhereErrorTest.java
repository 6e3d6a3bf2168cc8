package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** An internal error reaches the user as its causes, never as a Java class name. */
class AnywhereErrorTest {

    @Test
    void causesAreJoinedWithoutClassNames() {
        Exception e = new IllegalStateException("cannot start the gateway",
                new UncheckedIOException("java.io.IOException: disk full", new IOException("disk full")));
        assertThat(Anywhere.describe(e)).isEqualTo("cannot start the gateway: disk full");
    }

    /** Netty puts a bare class name into messages ("… StacklessClosedChannelException"): it goes too. */
    @Test
    void aSimpleClassNameInAMessageGoesToo() {
        Exception e = new IllegalStateException("handshake failed: StacklessClosedChannelException");
        assertThat(Anywhere.describe(e)).isEqualTo("handshake failed");
    }

    @Test
    void aMessagelessFailureIsStillNotNamedByItsType() {
        assertThat(Anywhere.describe(new NullPointerException())).isEqualTo("an unexpected failure without a message");
    }
}
