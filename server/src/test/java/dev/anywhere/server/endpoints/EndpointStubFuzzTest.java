package dev.anywhere.server.endpoints;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.rfr.Rfr;
import dev.anywhere.server.rfr.ServerNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Timeout;

/**
 * Stub data of a request handed to the endpoints' built-in interfaces and RFR, the NDR a client sends: the first input
 * byte picks the operation (ept_lookup, ept_map, MGMT opnums 0–4, RfrGetNewDSA, RfrGetFQDNFromServerDN), the rest is
 * the stub. Each answers or throws what
 * {@link DceAssociation} turns into a fault — {@link RpcFaultException} or {@link DceProtocolException}
 * (rpc_x_bad_stub_data) — never anything else, which would be answered nca_s_fault_unspec with a warning.
 * Inputs: {@code EndpointStubFuzzTestInputs/} (the requests of {@link EpmMgmtTest} and impacket's two RFR requests).
 * docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class EndpointStubFuzzTest {

    private static final EndpointServer SERVER;
    private static final InetSocketAddress LOCAL;
    private static final InetSocketAddress REMOTE;
    private static final RpcHandler RFR = new Rfr(() -> "ex1.frankysweb.local",
            ServerNames.of(List.of(new ExchangeServer("EX1", "ex1.frankysweb.local", true))));

    static {
        try {
            InetAddress ex1 = InetAddress.getByName(EpmMgmtTest.EX1);
            SERVER = new EndpointServer(RpcEndpoints.Options.defaults(ex1).withPrincipalName("EX1$"),
                    () -> List.of(6001, 593), OptionalInt::empty);
            LOCAL = new InetSocketAddress(ex1, 6001);
            REMOTE = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50000);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void answersOrFaults(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pick = (input[0] & 0xff) % 9;
        Octets stub = Octets.of(Arrays.copyOfRange(input, 1, input.length));
        RpcHandler handler = pick < 2 ? new Epm(SERVER) : pick < 7 ? new Mgmt(SERVER) : RFR;
        int opnum = pick < 2 ? pick + 2 : pick < 7 ? pick - 2 : pick - 7;
        try {
            handler.invoke(new RpcCall(pick < 2 ? Epm.ID : pick < 7 ? Mgmt.ID : Rfr.ID, opnum, stub, Optional.empty(), 1,
                    RpcCall.Transport.NCACN_HTTP_V1, LOCAL, REMOTE));
        } catch (RpcFaultException | DceProtocolException expected) {
            // answered as a fault
        }
    }
}
