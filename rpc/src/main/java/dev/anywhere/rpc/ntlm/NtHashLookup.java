package dev.anywhere.rpc.ntlm;

import java.util.Optional;

/**
 * Where the server finds an account's NT hash: the directory, a test map. The domain is passed as the
 * client sent it (NetBIOS name, DNS name or empty); matching it is the lookup's business.
 */
@FunctionalInterface
public interface NtHashLookup {

    /** The 16-byte NT hash of {@code domain\\user}, or empty when there is no such enabled account. */
    Optional<byte[]> ntHash(String domain, String user);
}
