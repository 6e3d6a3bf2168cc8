package dev.anywhere.directory;

import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.util.List;
import java.util.Optional;

/**
 * The site's directory as Exchange uses Active Directory: the source of truth for Outlook Anywhere settings, the
 * Outlook providers and the mailbox users. Implementations speak LDAP with Active Directory's attribute names, so
 * any LDAP server that carries the schema can play DC1.
 *
 * <p>Every method may throw {@link DirectoryException}; its {@link DirectoryException#transientFailure()} tells
 * the configurator whether to retry after 15 s (event 2001) or to log a permanent error (event 2002).
 */
public interface SiteDirectory extends AutoCloseable {

    /** The site's identity: DNS and NetBIOS domain names, organisation. */
    SiteInfo site();

    /** Every server object of the site (DC1, EX1, …). */
    List<ExchangeServer> servers();

    /** A server by short name, case-insensitive. */
    Optional<ExchangeServer> server(String name);

    /**
     * The server's {@code Rpc (Default Web Site)} object. Empty when Outlook Anywhere is not enabled for it
     * (Exchange 2010: Enable-OutlookAnywhere creates the object, Disable-OutlookAnywhere removes it).
     */
    Optional<RpcHttpVirtualDirectory> rpcVirtualDirectory(String server);

    /** Creates or replaces the server's virtual-directory object with exactly these raw attribute values. */
    void putRpcVirtualDirectory(RpcHttpVirtualDirectory vdir);

    /** Removes the server's virtual-directory object; does nothing when there is none. */
    void removeRpcVirtualDirectory(String server);

    /** The Outlook provider EXCH, EXPR or WEB (PrepareAD creates all three). */
    Optional<OutlookProvider> provider(String name);

    void putProvider(OutlookProvider provider);

    /** The mailbox with this SMTP address among its proxy addresses, case-insensitive. */
    Optional<Mailbox> mailboxBySmtpAddress(String address);

    /** The mailbox with this {@code legacyExchangeDN}, case-insensitive. */
    Optional<Mailbox> mailboxByLegacyDn(String legacyDn);

    /**
     * The mailbox for a logon name as clients send it: {@code DOMAIN\\user}, {@code user@upn-suffix}, or a bare
     * sAMAccountName.
     */
    Optional<Mailbox> mailboxByLogonName(String logonName);

    /** Verifies a password by an LDAP simple bind as the user (what Basic authentication does against AD). */
    boolean verifyPassword(Mailbox mailbox, String password);

    /** The user's NT hash (16 bytes) for NTLM verification; readable only by the service's privileged bind. */
    Optional<byte[]> ntHash(Mailbox mailbox);

    /**
     * Follows changes to the configuration objects, with the best mechanism the server's root DSE advertises.
     * {@code listener} runs on a directory thread after each change (coalescing is the caller's job), and once when
     * the feed loses the directory, so that the caller reads it, finds it unreachable and reports the outage.
     */
    ChangeSubscription watch(Runnable listener);

    /**
     * Tells {@code listener} (on a directory thread) each time this client moves to another replica of the directory.
     * A client of one directory never moves, so the default does nothing.
     */
    default void onReplicaSwitch(java.util.function.Consumer<ReplicaSwitch> listener) {
    }

    @Override
    void close();
}
