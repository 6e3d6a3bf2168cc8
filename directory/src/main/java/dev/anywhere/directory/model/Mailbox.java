package dev.anywhere.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A mailbox user: what Autodiscover answers with and what the proxy authenticates.
 *
 * @param samAccountName the logon name (FRANKYSWEB\samAccountName)
 * @param userPrincipalName the UPN (user@frankysweb.local)
 * @param displayName shown in Autodiscover's {@code User/DisplayName}
 * @param primarySmtpAddress the primary SMTP address (user@frankysweb.org)
 * @param proxyAddresses every SMTP address that resolves to this mailbox, primary included
 * @param legacyExchangeDn {@code legacyExchangeDN}
 * @param homeServer short name of the mailbox's server
 * @param mapiEnabled {@code MAPIEnabled}: false means no Outlook protocols at all
 * @param blockRpcHttp {@code MAPIBlockOutlookRpcHttp}: internal (EXCH) only, no EXPR
 * @param targetAddress for mail users: the external address Autodiscover redirects to (redirectAddr); empty otherwise
 */
public record Mailbox(String samAccountName, String userPrincipalName, String displayName, String primarySmtpAddress,
        List<String> proxyAddresses, String legacyExchangeDn, String homeServer, boolean mapiEnabled,
        boolean blockRpcHttp, java.util.Optional<String> targetAddress) {

    public Mailbox {
        Objects.requireNonNull(samAccountName, "samAccountName");
        Objects.requireNonNull(userPrincipalName, "userPrincipalName");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(primarySmtpAddress, "primarySmtpAddress");
        proxyAddresses = List.copyOf(proxyAddresses);
        Objects.requireNonNull(legacyExchangeDn, "legacyExchangeDn");
        Objects.requireNonNull(homeServer, "homeServer");
        Objects.requireNonNull(targetAddress, "targetAddress");
    }
}
