package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.anywhere.rpc.ntlm.NtlmAuthenticationException.Failure;
import dev.anywhere.rpc.wire.Octets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * impacket's NTLM client (Debian {@code python3-impacket}, the peer the RPC over HTTP interop tests use)
 * against our server. Skipped when impacket is missing, unless {@code CI=true}, where that is a failure.
 */
class NtlmImpacketInteropTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private Path script;

    @BeforeAll
    static void requireImpacket() {
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.ntlm");
    }

    @BeforeEach
    void copyScript() throws IOException {
        script = dir.resolve("impacket_ntlm.py");
        try (InputStream in = getClass().getResourceAsStream("/ntlm/impacket_ntlm.py")) {
            Files.copy(in, script);
        }
    }

    /** What impacket answered: the AUTHENTICATE_MESSAGE, its exported key and the server name it read. */
    private record ImpacketAnswer(byte[] authenticate, Octets exportedSessionKey, String computerName) {
    }

    private ImpacketAnswer runImpacket(NtlmServer server, String mode, String domain, String user, String password)
            throws Exception {
        Path negotiateFile = dir.resolve("negotiate.b64");
        python("negotiate", mode, negotiateFile.toString());
        byte[] negotiate = Base64.getDecoder().decode(Files.readString(negotiateFile).strip());
        assertThat(NegotiateMessage.decode(negotiate).flags()).contains(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE);

        Path challengeFile = dir.resolve("challenge.b64");
        Files.writeString(challengeFile, Base64.getEncoder().encodeToString(server.challenge(negotiate)));
        Path answerFile = dir.resolve("authenticate.txt");
        python("authenticate", mode, challengeFile.toString(), answerFile.toString(), domain, user, password);
        List<String> lines = Files.readAllLines(answerFile, StandardCharsets.UTF_8);
        return new ImpacketAnswer(Base64.getDecoder().decode(lines.get(0)), Octets.ofHex(lines.get(1)), lines.get(2));
    }

    private void python(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, "-B", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("impacket script: still running after 60 s (expected: done)");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("impacket script output:%n%s", output).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "sign"})
    void serverAcceptsImpacketNtlmv2(String mode) throws Exception {
        NtlmServer server = NtlmFixtures.server();
        ImpacketAnswer answer = runImpacket(server, mode, "FRANKYSWEB", "alice", "Passw0rd!");
        NtlmAuthentication auth = server.authenticate(answer.authenticate());
        assertThat(auth.domain()).isEqualTo("FRANKYSWEB");
        assertThat(auth.user()).isEqualTo("alice");
        assertThat(auth.workstation()).isEqualTo("NOTEBOOK");
        assertThat(auth.exportedSessionKey()).isEqualTo(answer.exportedSessionKey());
        assertThat(auth.flags().contains(NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH)).isEqualTo(mode.equals("sign"));
    }

    @Test
    void impacketReadsTheNetbiosComputerName() throws Exception {
        ImpacketAnswer answer = runImpacket(NtlmFixtures.server(), "plain", "FRANKYSWEB", "alice", "Passw0rd!");
        assertThat(answer.computerName()).isEqualTo("EX1");
    }

    @Test
    void impacketAuthenticateMessageReencodesIdentically() throws Exception {
        ImpacketAnswer answer = runImpacket(NtlmFixtures.server(), "sign", "FRANKYSWEB", "alice", "Passw0rd!");
        AuthenticateMessage m = AuthenticateMessage.decode(answer.authenticate());
        assertThat(m.encode()).isEqualTo(answer.authenticate());
        Ntlmv2Response r = Ntlmv2Response.decode(m.ntChallengeResponse());
        assertThat(r.targetInfo().nbComputerName()).contains("EX1");
        assertThat(r.targetInfo().targetName()).contains("cifs/EX1");
    }

    @Test
    void serverRejectsImpacketWrongPassword() throws Exception {
        NtlmServer server = NtlmFixtures.server();
        ImpacketAnswer answer = runImpacket(server, "plain", "FRANKYSWEB", "alice", "not-the-password");
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(answer.authenticate()));
        assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD);
    }
}
