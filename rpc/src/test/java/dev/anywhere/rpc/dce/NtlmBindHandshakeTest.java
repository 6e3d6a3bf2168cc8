package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client's NTLM bind handshake against our NTLM server, without sockets: both ends end with matching sessions. */
class NtlmBindHandshakeTest {

    static final ServerIdentity EX1 = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local",
            "frankysweb.local", "frankysweb.local");

    @Test
    void bothEndsProtectAndVerifyEachOthersPdus() throws Exception {
        NtlmBindHandshake client = new NtlmBindHandshake(NtlmCredentials.ofPassword("FRANKYSWEB", "alice", "Passw0rd!"),
                AuthVerifier.LEVEL_PKT_PRIVACY, 7);
        NtlmServer server = new NtlmServer(EX1, (d, u) -> Optional.of(NtHash.of("Passw0rd!")));
        AuthVerifier negotiate = client.bindVerifier();
        byte[] challenge = server.challenge(negotiate.authValue().toByteArray());
        AuthVerifier authenticate = client.auth3Verifier(new AuthVerifier(AuthVerifier.AUTHN_WINNT,
                AuthVerifier.LEVEL_PKT_PRIVACY, 0, 7, Octets.of(challenge)));
        PduSecurity serverSide = new PduSecurity(AuthVerifier.LEVEL_PKT_PRIVACY, 7,
                NtlmSession.server(server.authenticate(authenticate.authValue().toByteArray())));

        ByteBuf request = client.security().protect(new DcePdu.Request(2, 0, 1, Octets.ofHex("cafebabe")),
                ByteBufAllocator.DEFAULT);
        assertThat(serverSide.unprotect(request).stub()).isEqualTo(Octets.ofHex("cafebabe"));
        request.release();
        ByteBuf response = serverSide.protect(new DcePdu.Response(2, 0, Octets.ofHex("01020304")), ByteBufAllocator.DEFAULT);
        assertThat(client.security().unprotect(response).stub()).isEqualTo(Octets.ofHex("01020304"));
        response.release();
    }

    @Test
    void aForeignChallengeVerifierOrAnEarlySecurityIsRefused() {
        NtlmBindHandshake client = new NtlmBindHandshake(NtlmCredentials.ofPassword("", "alice", "x"),
                AuthVerifier.LEVEL_PKT_INTEGRITY, 7);
        client.bindVerifier();
        assertThatThrownBy(client::security).hasMessage(
                "ntlm bind handshake: no rpc_auth_3 yet (expected: auth3Verifier first)");
        assertThatThrownBy(() -> client.auth3Verifier(new AuthVerifier(AuthVerifier.AUTHN_WINNT,
                AuthVerifier.LEVEL_PKT_PRIVACY, 0, 7, Octets.ofHex("00"))))
                .isInstanceOf(DceSecurityException.class)
                .hasMessage("bind_ack sec_trailer: auth_type 10, auth_level 6, auth_context_id 7 (expected: 10, 5, 7 as sent in the bind)");
        assertThatThrownBy(() -> new NtlmBindHandshake(NtlmCredentials.ofPassword("", "a", "b"), 4, 1))
                .hasMessage("auth_level: 4 (expected: 2, 5 or 6)");
    }
}
