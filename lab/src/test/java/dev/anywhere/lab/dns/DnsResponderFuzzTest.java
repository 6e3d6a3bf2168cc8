package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Any datagram or TCP message handed to the lab's {@link DnsResponder} (the first input byte picks UDP or TCP, the
 * rest is the message): it answers or drops, never throws, and never answers SERVFAIL — the responder turns an
 * internal error into SERVFAIL, so a SERVFAIL here is a crash it swallowed. An answer is a well-formed DNS response
 * with the query's ID that fits its transport. Inputs: {@code DnsResponderFuzzTestInputs/} (questions for the zones of
 * {@link TestZones}, built with dnsjava as {@link DnsServerTest} builds them). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class DnsResponderFuzzTest {

    private static final DnsResponder RESPONDER = new DnsResponder(TestZones.richSet());

    @FuzzTest
    void answersOrDrops(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        Transport transport = (input[0] & 1) == 0 ? Transport.UDP : Transport.TCP;
        byte[] query = Arrays.copyOfRange(input, 1, input.length);
        Optional<byte[]> answer = RESPONDER.respond(query, transport);
        if (answer.isEmpty()) {
            return;
        }
        byte[] wire = answer.get();
        assertThat(wire.length).isLessThanOrEqualTo(transport == Transport.UDP ? DnsResponder.MAX_UDP_PAYLOAD : 65535);
        Message response = new Message(wire);
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getID()).isEqualTo((query[0] & 0xff) << 8 | (query[1] & 0xff));
        assertThat(Rcode.string(response.getRcode())).isNotEqualTo("SERVFAIL");
    }
}
