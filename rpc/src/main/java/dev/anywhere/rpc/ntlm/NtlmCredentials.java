package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;

/**
 * A client's credentials: domain, user and the NT hash of the password (the password itself is not
 * kept). {@link #toString()} never prints the hash.
 *
 * @param domain the NetBIOS or DNS domain name, e.g. FRANKYSWEB; may be empty
 * @param user the account name, e.g. alice
 * @param ntHash NTOWFv1 of the password, 16 bytes
 * @see [MS-NLMP] 3.3.1 NTLM v1 Authentication (NTOWFv1)
 */
public record NtlmCredentials(String domain, String user, Octets ntHash) {

    /** Checks the hash length. */
    public NtlmCredentials {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(user, "user");
        if (ntHash.length() != 16) {
            throw new IllegalArgumentException("nt hash: " + ntHash.length() + " bytes (expected: 16)");
        }
    }

    /** Credentials from a password. */
    public static NtlmCredentials ofPassword(String domain, String user, String password) {
        return new NtlmCredentials(domain, user, Octets.of(NtHash.of(password)));
    }

    /** Parses {@code DOMAIN\\user} or {@code user@domain}; without either, the domain is empty. */
    public static NtlmCredentials parse(String account, String password) {
        int backslash = account.indexOf('\\');
        if (backslash >= 0) {
            return ofPassword(account.substring(0, backslash), account.substring(backslash + 1), password);
        }
        int at = account.lastIndexOf('@');
        if (at >= 0) {
            return ofPassword(account.substring(at + 1), account.substring(0, at), password);
        }
        return ofPassword("", account, password);
    }

    @Override
    public String toString() {
        return "NtlmCredentials[" + domain + "\\" + user + ", ntHash=<redacted>]";
    }
}
