package dev.anywhere.rpc.spnego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.NtlmSignatureException;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpnegoAcceptorTest {

    static final ServerIdentity EX1 = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local", "frankysweb.local",
            "frankysweb.local");

    static NtlmServer server() {
        return new NtlmServer(EX1, (domain, user) -> user.equalsIgnoreCase("franky")
                ? Optional.of(NtHash.of("Secret-1")) : Optional.empty());
    }

    /** The whole handshake with mechListMICs both ways, as Samba does it; then one signed message each way. */
    @Test
    void ntlmFirstWithMechListMicsBothWays() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.ofPassword("FRANKYSWEB", "franky", "Secret-1"));
        NtlmServer ntlm = server();
        SpnegoAcceptor acceptor = new SpnegoAcceptor(ntlm);
        NegTokenInit init = NegTokenInit.offering(List.of(MechType.NTLMSSP), Octets.of(client.negotiate()));

        NegTokenResp first = (NegTokenResp) NegotiationToken.decode(acceptor.accept(init.encode()));
        assertThat(first.negState()).contains(NegState.ACCEPT_INCOMPLETE);
        assertThat(first.supportedMech()).contains(MechType.NTLMSSP);
        byte[] authenticate = client.authenticate(first.responseToken().orElseThrow().toByteArray());

        NtlmSession clientSession = NtlmSession.of(NtlmSession.Role.CLIENT, client.exportedSessionKey(), java.util.EnumSet.allOf(dev.anywhere.rpc.ntlm.NegotiateFlag.class));
        byte[] list = init.mechTypeList().toByteArray();
        Octets clientMic = Octets.of(clientSession.sign(list, 0, list.length));
        byte[] forVerification = acceptor.authenticateMessage(NegTokenResp.initiatorToken(Octets.of(authenticate),
                Optional.of(clientMic)).encode());
        NtlmAuthentication verified = ntlm.authenticate(forVerification);
        NtlmSession serverSession = NtlmSession.server(verified);

        NegTokenResp last = (NegTokenResp) NegotiationToken.decode(acceptor.complete(serverSession));
        assertThat(last.negState()).contains(NegState.ACCEPT_COMPLETED);
        clientSession.verify(list, 0, list.length, last.mechListMic().orElseThrow().toByteArray());
        assertThat(acceptor.step()).contains(SpnegoAcceptor.Step.COMPLETE);

        // [MS-SPNG] 3.3.5.1: the MICs leave the RC4 streams as they were; sequence numbers go on (1 after the MIC)
        clientSession.restartSealStreams();
        byte[] message = "first request".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        serverSession.verify(message, 0, message.length, clientSession.sign(message, 0, message.length));
        serverSession.verify(message, 0, message.length, clientSession.sign(message, 0, message.length));
    }

    @Test
    void aTamperedMechanismListFailsTheMic() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.ofPassword("FRANKYSWEB", "franky", "Secret-1"));
        NtlmServer ntlm = server();
        SpnegoAcceptor acceptor = new SpnegoAcceptor(ntlm);
        NegTokenInit init = NegTokenInit.offering(List.of(MechType.NTLMSSP), Octets.of(client.negotiate()));
        NegTokenResp first = (NegTokenResp) NegotiationToken.decode(acceptor.accept(init.encode()));
        byte[] authenticate = client.authenticate(first.responseToken().orElseThrow().toByteArray());
        NtlmSession clientSession = NtlmSession.of(NtlmSession.Role.CLIENT, client.exportedSessionKey(), java.util.EnumSet.allOf(dev.anywhere.rpc.ntlm.NegotiateFlag.class));
        // a MIC over a list that offered Kerberos first: what a downgrade in the middle would produce
        byte[] other = NegTokenInit.offering(List.of(MechType.KERBEROS, MechType.NTLMSSP), Octets.EMPTY).mechTypeList().toByteArray();
        Octets mic = Octets.of(clientSession.sign(other, 0, other.length));
        NtlmAuthentication verified = ntlm.authenticate(acceptor.authenticateMessage(
                NegTokenResp.initiatorToken(Octets.of(authenticate), Optional.of(mic)).encode()));

        assertThatThrownBy(() -> acceptor.complete(NtlmSession.server(verified))).isInstanceOf(NtlmSignatureException.class);
    }

    @Test
    void kerberosPreferredIsAnsweredWithNtlmAloneThenTheChallenge() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.ofPassword("FRANKYSWEB", "franky", "Secret-1"));
        SpnegoAcceptor acceptor = new SpnegoAcceptor(server());
        NegTokenInit init = NegTokenInit.offering(List.of(MechType.MS_KERBEROS, MechType.KERBEROS, MechType.NTLMSSP),
                Octets.ofHex("6082")); // an optimistic Kerberos token, ignored

        assertThat(acceptor.accept(init.encode())).isEqualTo(Octets.ofHex("a1153013a0030a0101a10c060a2b06010401823702020a"));
        assertThat(acceptor.step()).contains(SpnegoAcceptor.Step.MECHANISM_CHOSEN);
        NegTokenResp challenge = (NegTokenResp) NegotiationToken.decode(acceptor.acceptNegotiate(
                NegTokenResp.initiatorToken(Octets.of(client.negotiate()), Optional.empty()).encode()));
        assertThat(challenge.supportedMech()).isEmpty();
        assertThat(challenge.responseToken().orElseThrow().hex()).startsWith("4e544c4d5353500002000000");
    }

    @Test
    void withoutNtlmOrOutOfOrderTheHandshakeIsRefused() {
        SpnegoAcceptor acceptor = new SpnegoAcceptor(server());
        NegTokenInit kerberosOnly = NegTokenInit.offering(List.of(MechType.KERBEROS), Octets.ofHex("6082"));
        assertThatThrownBy(() -> acceptor.accept(kerberosOnly.encode())).isInstanceOf(SpnegoException.class)
                .hasMessage("mechTypes: [1.2.840.113554.1.2.2] (expected: NTLMSSP 1.3.6.1.4.1.311.2.2.10 among them)");
        assertThatThrownBy(() -> new SpnegoAcceptor(server()).authenticateMessage(Octets.ofHex("a1073005a0030a0100")))
                .hasMessage("NTLM AUTHENTICATE token: not expected now (null)");
        assertThatThrownBy(() -> new SpnegoAcceptor(server()).accept(Octets.ofHex("a1073005a0030a0100")))
                .hasMessage("first SPNEGO token: a NegTokenResp (expected: NegTokenInit)");
    }
}
