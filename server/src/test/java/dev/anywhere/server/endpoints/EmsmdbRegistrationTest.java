package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.emsmdb.EmsmdbService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The store interface in the endpoint mapper: ept_map for EMSMDB v0.81 answers the ncacn_http tower on 6001 only. */
class EmsmdbRegistrationTest {

    @Test
    void eptMapFindsEmsmdbOn6001() throws Exception {
        InterfaceRegistry extra = new InterfaceRegistry().register(new EmsmdbService(
                EmsmdbService.Options.exchange2010("", ""), dn -> Optional.empty(), Clock.systemUTC()).asInterface());
        EndpointServer server = new EndpointServer(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.100.251"))
                .withExtra(extra), () -> List.of(6001, 6002, 6004, 593), OptionalInt::empty);
        String request = "00000000 01000000 4b000000 4b000000" // object NULL, map_tower: pointer, max_count, length
                + "0500 1300 0d 00dbf1a447ca6710b31f00dd010662da 0000 0200 5100" // floor 1: EMSMDB v0.81
                + "1300 0d 045d888aeb1cc9119fe808002b104860 0200 0200 0000" // floor 2: NDR 2.0
                + "0100 0b 0200 0000 0100 1f 0200 0000 0100 09 0400 00000000 00" // ncacn_http port 0, 0.0.0.0, pad
                + "0000000000000000000000000000000000000000 04000000"; // entry_handle NULL, max_towers 4
        Octets reply = new Epm(server).invoke(new RpcCall(Epm.ID, 3, Octets.ofHex(request), Optional.empty(), 1,
                RpcCall.Transport.NCACN_HTTP_V1, new InetSocketAddress("127.0.100.251", 593),
                new InetSocketAddress("127.0.0.1", 50000)));
        String hex = reply.hex();
        assertThat(hex.substring(40, 48)).as("num_towers").isEqualTo("01000000");
        assertThat(hex).contains("01001f02001771") // floor 4: ncacn_http, port 6001 big-endian
                .contains("00dbf1a447ca6710b31f00dd010662da00000200" + "5100") // floor 1 echoed: EMSMDB v0.81
                .endsWith("00000000"); // status
    }
}
