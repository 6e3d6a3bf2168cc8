package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import java.util.Set;

/**
 * A successful NTLM authentication as the server sees it.
 *
 * @param domain the domain name the client sent
 * @param user the user name the client sent
 * @param workstation the workstation name the client sent, possibly empty
 * @param flags the NegotiateFlags of the AUTHENTICATE_MESSAGE
 * @param exportedSessionKey ExportedSessionKey, the key for signing and sealing; never printed
 * @see [MS-NLMP] 3.2.5.1.2 Server Receives an AUTHENTICATE_MESSAGE from the Client
 */
public record NtlmAuthentication(String domain, String user, String workstation, Set<NegotiateFlag> flags,
        Octets exportedSessionKey) {

    /** Copies the flag set. */
    public NtlmAuthentication {
        flags = NegotiateFlag.copyOf(flags);
    }

    @Override
    public String toString() {
        return "NtlmAuthentication[" + domain + "\\" + user + " from " + workstation + ", exportedSessionKey=<redacted>]";
    }
}
