package dev.anywhere.rpc.ntlm;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/** The default site's EX1 and its accounts. */
final class NtlmFixtures {

    private NtlmFixtures() {
    }

    static final ServerIdentity EX1 = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local",
            "frankysweb.local", "frankysweb.local");

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T18:00:00Z"), ZoneOffset.UTC);

    private static final Map<String, String> PASSWORDS = Map.of("alice", "Passw0rd!", "bob", "Secret123");

    /** FRANKYSWEB (NetBIOS, DNS or empty domain) accounts alice and bob. */
    static final NtHashLookup ACCOUNTS = (domain, user) -> {
        boolean ourDomain = domain.isEmpty() || domain.equalsIgnoreCase("FRANKYSWEB")
                || domain.equalsIgnoreCase("frankysweb.local");
        String password = PASSWORDS.get(user.toLowerCase(java.util.Locale.ROOT));
        return ourDomain && password != null ? Optional.of(NtHash.of(password)) : Optional.empty();
    };

    static NtlmServer server() {
        return new NtlmServer(EX1, ACCOUNTS);
    }
}
