package dev.anywhere.directory.model;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Autodiscover service connection point ({@code serviceConnectionPoint} object
 * {@code CN=EX1,CN=Autodiscover,CN=Protocols,CN=EX1,CN=Servers,...}) that domain-joined clients find by LDAP.
 *
 * @param server the Client Access server that published it (the object's CN)
 * @param serviceBindingInformation the Autodiscover URL (URL SCP) or an LDAP server (pointer SCP)
 * @param keywords the raw {@code keywords} values: the SCP GUID plus {@code Site=...} / {@code Domain=...} scopes
 * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules (SCP lookup)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/how-to-find-autodiscover-endpoints-by-using-scp-lookup-in-exchange">Find Autodiscover endpoints by using SCP lookup</a>
 */
public record AutodiscoverScp(String server, URI serviceBindingInformation, List<String> keywords) {

    /** The keyword of a URL SCP, whose binding information is an Autodiscover URL. */
    public static final String URL_GUID = "77378F46-2C66-4aa9-A6A6-3E7A48B19596";
    /** The keyword of a pointer SCP, whose binding information is another LDAP server. */
    public static final String POINTER_GUID = "67661d7F-8FC4-4fa7-BFAC-E1D7794C1F68";

    public AutodiscoverScp {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(serviceBindingInformation, "serviceBindingInformation");
        keywords = List.copyOf(keywords);
    }

    /** A URL SCP as Exchange setup writes it: the URL GUID and one {@code Site=} keyword. */
    public static AutodiscoverScp url(String server, URI autodiscoverUrl, String adSite) {
        return new AutodiscoverScp(server, autodiscoverUrl, List.of(URL_GUID, "Site=" + adSite));
    }

    public boolean isUrlScp() {
        return keywords.stream().anyMatch(URL_GUID::equalsIgnoreCase);
    }

    public boolean isPointerScp() {
        return keywords.stream().anyMatch(POINTER_GUID::equalsIgnoreCase);
    }

    /** The AD site from a {@code Site=} keyword; empty for an unscoped SCP. */
    public Optional<String> site() {
        return keywords.stream().filter(k -> k.regionMatches(true, 0, "Site=", 0, 5)).map(k -> k.substring(5)).findFirst();
    }
}
