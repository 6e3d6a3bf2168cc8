package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoDisconnect;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.ProtocolVersion;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.emsmdb.EmsmdbService;
import dev.anywhere.server.emsmdb.MailboxIdentity;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox logon through the gateway with impacket 0.10 as the client that seals: ncacn_http via the RPC proxy on
 * 443, NTLM at PKT_PRIVACY, EMSMDB bound, then EcDoConnectEx, EcDoRpcExt2 with RopLogon (compressed and obfuscated)
 * and EcDoDisconnect as raw calls whose stubs our codecs build and read. At PKT_INTEGRITY the store answers
 * ecNotEncrypted. Skipped without impacket unless {@code CI=true}; the gateway listens on 443 of its own loopback
 * address (run under {@code flock /tmp/anywhere-ports.lock}).
 */
class EmsmdbImpacketInteropTest {

    static final String GATEWAY_ADDRESS = "127.0.93.44";
    static final String DN = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky";
    static final MailboxIdentity FRANKY = new MailboxIdentity(DN, "franky", "Franky", UUID.fromString(
            "f2a7b1c0-0d1e-4f20-8a3b-4c5d6e7f8091"), "EX1", "/o=First Organization/cn=Servers/cn=EX1");

    @TempDir
    Path dir;

    static TestCertificate certificate;
    @AutoClose
    SecuredRpcSite site;

    @BeforeAll
    static void requireImpacket() throws Exception {
        Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
    }

    @BeforeEach
    void start() throws Exception {
        EmsmdbService store = new EmsmdbService(EmsmdbService.Options.exchange2010("EX1", ""),
                dn -> dn.equalsIgnoreCase(DN) ? Optional.of(FRANKY) : Optional.empty(), Clock.systemUTC());
        site = SecuredRpcSite.in(dir).credentials(VirtualConnectionIdentityTest.CREDENTIALS).serving(store.asInterface())
                .listen(GATEWAY_ADDRESS, 443).tls(certificate.serverContext()).start();
    }

    int port() {
        return site.endpointPort();
    }

    /** Runs logon.py at {@code level}; one response stub per line. */
    List<Octets> logon(int level) throws Exception {
        Path script = dir.resolve("logon.py");
        try (InputStream in = getClass().getResourceAsStream("/emsmdb/logon.py")) {
            Files.copy(in, script);
        }
        ByteBuf rop = Unpooled.buffer();
        RopLogon.Request.privateMailbox(0, 0, DN).writeTo(rop);
        Octets rgbIn = RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(rop), List.of(RopBuffer.NO_HANDLE)).encode(), true, true);
        Octets rpc = new EcDoRpcExt2.Request(ContextHandle.NULL, 0, rgbIn, Emsmdb.MAX_RGB, Octets.EMPTY, 0).encode();
        Octets connect = EcDoConnectEx.Request.outlook(DN, ProtocolVersion.of(14, 0, 6023, 1000)).encode();
        Process p = new ProcessBuilder(Peers.PYTHON, script.toString(), "ncacn_http:[" + port() + ",RpcProxy=" + GATEWAY_ADDRESS
                + ":443]", "FRANKYSWEB", "franky", "Secret-1", Integer.toString(level), connect.hex(), rpc.hex())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("logon.py failed:%n%s", out).isTrue();
        return out.lines().filter(l -> l.matches("[0-9a-f]+")).map(Octets::ofHex).toList();
    }

    @Test
    void sealedLogonThroughTheGateway() throws Exception {
        List<Octets> stubs = logon(6);
        assertThat(stubs).hasSize(3);
        EcDoConnectEx.Response c = EcDoConnectEx.Response.decode(stubs.get(0));
        assertThat(c.returnValue()).isEqualTo(EcCode.NONE);
        assertThat(c.displayName()).isEqualTo("Franky");
        EcDoRpcExt2.Response r = EcDoRpcExt2.Response.decode(stubs.get(1));
        RopLogon.Response logon = RopLogon.readResponse(RopBuffer.decode(RpcHeaderExt.unwrap(r.rgbOut())).rops());
        assertThat(logon).isInstanceOfSatisfying(RopLogon.Success.class, s -> {
            assertThat(s.mailboxGuid()).isEqualTo(FRANKY.mailboxGuid());
            assertThat(s.folderIds()).isEqualTo(SpecialFolders.of(FRANKY.mailboxGuid()));
        });
        assertThat(EcDoDisconnect.Response.decode(stubs.get(2))).isEqualTo(new EcDoDisconnect.Response(ContextHandle.NULL, 0));
    }

    @Test
    void signedOnlyLogonGetsEcNotEncrypted() throws Exception {
        List<Octets> stubs = logon(5);
        assertThat(stubs).hasSize(1);
        assertThat(EcDoConnectEx.Response.decode(stubs.get(0)).returnValue()).isEqualTo(EcCode.NOT_ENCRYPTED);
    }
}
