package dev.anywhere.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.InMemoryPasswordEncoder;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Correct passwords must be accepted however many binds run at once. UnboundID's salted digest encoder keeps the one
 * {@code MessageDigest} it is given and uses it without a lock, so concurrent binds mixed their digests and a few
 * right passwords got invalidCredentials.
 */
class ConcurrentBindTest {

    private static final String PASSWORD = "Service-Secret-1";

    @TempDir
    Path dataDir;

    /** One check of a right password; false (or an exception) when it was refused. */
    private interface Check {
        boolean passes() throws Exception;
    }

    /** Runs {@code perThread} checks on each of {@code threads} threads at once; how many were refused. */
    private static int refused(int threads, int perThread, java.util.function.Supplier<Check> perThreadCheck) throws Exception {
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    Check check = perThreadCheck.get();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            if (!check.passes()) {
                                refused.incrementAndGet();
                            }
                        } catch (LDAPException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return refused.get();
    }

    @Test
    void theEncoderChecksPasswordsCorrectlyFromManyThreadsAtOnce() throws Exception {
        InMemoryPasswordEncoder encoder = EmbeddedDirectory.passwordEncoder();
        ASN1OctetString encoded = encoder.encodePassword(new ASN1OctetString("Franky-Secret-1"), null, List.of());
        assertThat(refused(4, 20_000, () -> () -> encoder.clearPasswordMatchesEncodedPassword(
                new ASN1OctetString("Franky-Secret-1"), encoded, null))).as("right passwords refused out of 80000 checks").isZero();
    }

    @Test
    void fiftyConcurrentBindsWithTheRightPasswordAllSucceed() throws Exception {
        try (EmbeddedDirectory embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD))) {
            String dn;
            try (LdapSiteDirectory directory = embedded.connect(PASSWORD)) {
                directory.setPassword("franky", "Franky-Secret-1");
                dn = directory.userDn("franky").orElseThrow();
            }
            List<LDAPConnection> connections = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                assertThat(refused(50, 6, () -> {
                    LDAPConnection c = connect(embedded.port());
                    connections.add(c);
                    return () -> {
                        c.bind(dn, "Franky-Secret-1");
                        return true;
                    };
                })).as("right passwords refused out of 300 binds").isZero();
            } finally {
                connections.forEach(LDAPConnection::close);
            }
        }
    }

    private static LDAPConnection connect(int port) {
        try {
            return new LDAPConnection("127.0.0.1", port);
        } catch (LDAPException e) {
            throw new IllegalStateException("connect to the embedded directory: " + e.getResultCode(), e);
        }
    }
}
