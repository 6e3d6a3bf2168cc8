package dev.anywhere.directory;

import java.util.Objects;

/**
 * The identity of the site: {@code frankysweb.local} (NetBIOS FRANKYSWEB) with SMTP addresses in {@code frankysweb.org}.
 *
 * @param dnsDomain the Active Directory DNS domain
 * @param netbiosDomain the NetBIOS domain name clients put before the backslash
 * @param organization the Exchange organisation name
 * @param smtpDomain the accepted SMTP domain of the mailboxes
 */
public record SiteInfo(String dnsDomain, String netbiosDomain, String organization, String smtpDomain) {

    public SiteInfo {
        Objects.requireNonNull(dnsDomain, "dnsDomain");
        Objects.requireNonNull(netbiosDomain, "netbiosDomain");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(smtpDomain, "smtpDomain");
    }
}
