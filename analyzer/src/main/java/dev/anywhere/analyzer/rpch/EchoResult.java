package dev.anywhere.analyzer.rpch;

import java.time.Duration;

/**
 * The proxy's answer to an echo request ({@code RPC_IN_DATA}, Content-Length 0): {@code 200} and the 20-byte Echo
 * RTS PDU.
 *
 * @param status the HTTP status (200)
 * @param reason its reason phrase ({@code Success} from IIS)
 * @param total from the TCP connect to the echo PDU, authentication legs included
 * @param roundTrip the echo request alone
 * @see [MS-RPCH] 2.1.2.1.5 Echo Request
 * @see [MS-RPCH] 2.1.2.1.6 Echo Response
 */
public record EchoResult(int status, String reason, Duration total, Duration roundTrip) {
}
