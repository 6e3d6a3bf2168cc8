package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Protocol} element of the Outlook response: one way to reach the mailbox (EXCH, EXPR, EXHTTP), the web URLs
 * (WEB) or MAPI over HTTP. Every child is optional on the wire; build instances with {@link #builder(ProtocolType)}.
 *
 * <p>Components are listed in the order {@link PoxCodec} writes them, which follows Exchange 2013/2016: identity
 * (Server … AD), transport (SSL, AuthPackage), service URLs, then TTL, ServerExclusiveConnect and CertPrincipalName.
 *
 * @param type {@code Type} (or the {@code Type} attribute for mapiHttp)
 * @param version the {@code Version} attribute of a mapiHttp protocol
 * @param server {@code Server}: for EXPR the Outlook Anywhere external host name
 * @param serverDn {@code ServerDN}
 * @param serverVersion {@code ServerVersion}, hex as written (e.g. {@code 73C08204})
 * @param mdbDn {@code MdbDN}
 * @param publicFolderServer {@code PublicFolderServer}
 * @param ad {@code AD}, the global catalog
 * @param ssl {@code SSL}: {@code On}/{@code Off}
 * @param authPackage {@code AuthPackage}
 * @param asUrl {@code ASUrl}
 * @param ewsUrl {@code EwsUrl}
 * @param emwsUrl {@code EmwsUrl}
 * @param sharingUrl {@code SharingUrl}
 * @param ecpUrl {@code EcpUrl}
 * @param oofUrl {@code OOFUrl}
 * @param umUrl {@code UMUrl}
 * @param oabUrl {@code OABUrl}
 * @param ttl {@code TTL} in hours (Exchange writes it only when it differs from the default of 1)
 * @param serverExclusiveConnect {@code ServerExclusiveConnect}: {@code on}/{@code off}
 * @param certPrincipalName {@code CertPrincipalName}, e.g. {@code msstd:oa.example.org} or {@code None}
 * @param internal {@code Internal} section of WEB
 * @param external {@code External} section of WEB
 * @param mailStore {@code MailStore} of mapiHttp
 * @param addressBook {@code AddressBook} of mapiHttp
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/protocol-pox">Protocol (POX)</a>
 */
public record Protocol(ProtocolType type, Optional<Integer> version, Optional<String> server,
        Optional<String> serverDn, Optional<String> serverVersion, Optional<String> mdbDn,
        Optional<String> publicFolderServer, Optional<String> ad, Optional<Boolean> ssl,
        Optional<AuthPackage> authPackage, Optional<String> asUrl, Optional<String> ewsUrl, Optional<String> emwsUrl,
        Optional<String> sharingUrl, Optional<String> ecpUrl, Optional<String> oofUrl, Optional<String> umUrl,
        Optional<String> oabUrl, Optional<Integer> ttl, Optional<Boolean> serverExclusiveConnect,
        Optional<String> certPrincipalName, Optional<WebEndpoints> internal, Optional<WebEndpoints> external,
        Optional<MapiHttpEndpoint> mailStore, Optional<MapiHttpEndpoint> addressBook) {

    /** The TTL Exchange assumes when the element is absent (hours). */
    public static final int DEFAULT_TTL_HOURS = 1;

    public Protocol {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(serverDn, "serverDn");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(mdbDn, "mdbDn");
        Objects.requireNonNull(publicFolderServer, "publicFolderServer");
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(ssl, "ssl");
        Objects.requireNonNull(authPackage, "authPackage");
        Objects.requireNonNull(asUrl, "asUrl");
        Objects.requireNonNull(ewsUrl, "ewsUrl");
        Objects.requireNonNull(emwsUrl, "emwsUrl");
        Objects.requireNonNull(sharingUrl, "sharingUrl");
        Objects.requireNonNull(ecpUrl, "ecpUrl");
        Objects.requireNonNull(oofUrl, "oofUrl");
        Objects.requireNonNull(umUrl, "umUrl");
        Objects.requireNonNull(oabUrl, "oabUrl");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(serverExclusiveConnect, "serverExclusiveConnect");
        Objects.requireNonNull(certPrincipalName, "certPrincipalName");
        Objects.requireNonNull(internal, "internal");
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(mailStore, "mailStore");
        Objects.requireNonNull(addressBook, "addressBook");
        if (ttl.isPresent() && (ttl.get() < -1 || ttl.get() > 65536)) {
            throw new IllegalArgumentException("TTL: " + ttl.get() + " (expected: -1..65536 hours)");
        }
    }

    public static Builder builder(ProtocolType type) {
        return new Builder(type);
    }

    /** A builder pre-filled with this protocol's values. */
    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.version = version;
        b.server = server;
        b.serverDn = serverDn;
        b.serverVersion = serverVersion;
        b.mdbDn = mdbDn;
        b.publicFolderServer = publicFolderServer;
        b.ad = ad;
        b.ssl = ssl;
        b.authPackage = authPackage;
        b.asUrl = asUrl;
        b.ewsUrl = ewsUrl;
        b.emwsUrl = emwsUrl;
        b.sharingUrl = sharingUrl;
        b.ecpUrl = ecpUrl;
        b.oofUrl = oofUrl;
        b.umUrl = umUrl;
        b.oabUrl = oabUrl;
        b.ttl = ttl;
        b.serverExclusiveConnect = serverExclusiveConnect;
        b.certPrincipalName = certPrincipalName;
        b.internal = internal;
        b.external = external;
        b.mailStore = mailStore;
        b.addressBook = addressBook;
        return b;
    }

    /** The TTL the client should honour: the element's value, else {@link #DEFAULT_TTL_HOURS}. */
    public int effectiveTtlHours() {
        return ttl.orElse(DEFAULT_TTL_HOURS);
    }

    /** Mutable builder for {@link Protocol}; every setter takes the plain value. */
    public static final class Builder {
        private final ProtocolType type;
        private Optional<Integer> version = Optional.empty();
        private Optional<String> server = Optional.empty();
        private Optional<String> serverDn = Optional.empty();
        private Optional<String> serverVersion = Optional.empty();
        private Optional<String> mdbDn = Optional.empty();
        private Optional<String> publicFolderServer = Optional.empty();
        private Optional<String> ad = Optional.empty();
        private Optional<Boolean> ssl = Optional.empty();
        private Optional<AuthPackage> authPackage = Optional.empty();
        private Optional<String> asUrl = Optional.empty();
        private Optional<String> ewsUrl = Optional.empty();
        private Optional<String> emwsUrl = Optional.empty();
        private Optional<String> sharingUrl = Optional.empty();
        private Optional<String> ecpUrl = Optional.empty();
        private Optional<String> oofUrl = Optional.empty();
        private Optional<String> umUrl = Optional.empty();
        private Optional<String> oabUrl = Optional.empty();
        private Optional<Integer> ttl = Optional.empty();
        private Optional<Boolean> serverExclusiveConnect = Optional.empty();
        private Optional<String> certPrincipalName = Optional.empty();
        private Optional<WebEndpoints> internal = Optional.empty();
        private Optional<WebEndpoints> external = Optional.empty();
        private Optional<MapiHttpEndpoint> mailStore = Optional.empty();
        private Optional<MapiHttpEndpoint> addressBook = Optional.empty();

        private Builder(ProtocolType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder version(int v) { version = Optional.of(v); return this; }
        public Builder server(String v) { server = Optional.of(v); return this; }
        public Builder serverDn(String v) { serverDn = Optional.of(v); return this; }
        public Builder serverVersion(String v) { serverVersion = Optional.of(v); return this; }
        public Builder mdbDn(String v) { mdbDn = Optional.of(v); return this; }
        public Builder publicFolderServer(String v) { publicFolderServer = Optional.of(v); return this; }
        public Builder ad(String v) { ad = Optional.of(v); return this; }
        public Builder ssl(boolean v) { ssl = Optional.of(v); return this; }
        public Builder authPackage(AuthPackage v) { authPackage = Optional.of(v); return this; }
        public Builder authPackage(Optional<AuthPackage> v) { authPackage = Objects.requireNonNull(v); return this; }
        public Builder asUrl(String v) { asUrl = Optional.of(v); return this; }
        public Builder ewsUrl(String v) { ewsUrl = Optional.of(v); return this; }
        public Builder emwsUrl(String v) { emwsUrl = Optional.of(v); return this; }
        public Builder sharingUrl(String v) { sharingUrl = Optional.of(v); return this; }
        public Builder ecpUrl(String v) { ecpUrl = Optional.of(v); return this; }
        public Builder oofUrl(String v) { oofUrl = Optional.of(v); return this; }
        public Builder umUrl(String v) { umUrl = Optional.of(v); return this; }
        public Builder oabUrl(String v) { oabUrl = Optional.of(v); return this; }
        public Builder ttl(int v) { ttl = Optional.of(v); return this; }
        public Builder serverExclusiveConnect(boolean v) { serverExclusiveConnect = Optional.of(v); return this; }
        public Builder certPrincipalName(String v) { certPrincipalName = Optional.of(v); return this; }
        public Builder internal(WebEndpoints v) { internal = Optional.of(v); return this; }
        public Builder external(WebEndpoints v) { external = Optional.of(v); return this; }
        public Builder mailStore(MapiHttpEndpoint v) { mailStore = Optional.of(v); return this; }
        public Builder addressBook(MapiHttpEndpoint v) { addressBook = Optional.of(v); return this; }

        public Protocol build() {
            return new Protocol(type, version, server, serverDn, serverVersion, mdbDn, publicFolderServer, ad, ssl,
                    authPackage, asUrl, ewsUrl, emwsUrl, sharingUrl, ecpUrl, oofUrl, umUrl, oabUrl, ttl,
                    serverExclusiveConnect, certPrincipalName, internal, external, mailStore, addressBook);
        }
    }
}
