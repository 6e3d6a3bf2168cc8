package dev.anywhere.autodiscover.pox;

import java.util.Optional;

/**
 * Writes POX documents in Exchange's element order, namespaces and spelling, indented by two spaces, UTF-8.
 */
final class PoxWriter {

    private final StringBuilder out = new StringBuilder(2048);
    private int indent;

    private PoxWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }

    static String request(AutodiscoverRequest request) {
        PoxWriter w = new PoxWriter();
        w.open("Autodiscover", PoxNamespaces.REQUEST);
        w.open("Request", null);
        w.element("EMailAddress", request.emailAddress());
        w.element("LegacyDN", request.legacyDn());
        w.element("AcceptableResponseSchema", request.acceptableResponseSchema());
        w.close("Request");
        w.close("Autodiscover");
        return w.out.toString();
    }

    static String response(AutodiscoverResponse response) {
        PoxWriter w = new PoxWriter();
        w.open("Autodiscover", PoxNamespaces.RESPONSE);
        if (response.error().isPresent() && response.account().isEmpty() && response.user().isEmpty()) {
            // Exchange writes error answers with Response in the outer namespace, not in the 2006a schema. With a User
            // the 2006a shape below keeps it (this shape would drop it).
            w.open("Response", null);
            w.error(response.error().get());
        } else {
            w.open("Response", PoxNamespaces.OUTLOOK_RESPONSE);
            response.user().ifPresent(w::user);
            response.account().ifPresent(w::account);
            response.error().ifPresent(w::error);
        }
        w.close("Response");
        w.close("Autodiscover");
        return w.out.toString();
    }

    private void user(User u) {
        open("User", null);
        element("DisplayName", u.displayName());
        element("LegacyDN", u.legacyDn());
        element("AutoDiscoverSMTPAddress", u.autoDiscoverSmtpAddress());
        element("DefaultABView", u.defaultAbView());
        element("DeploymentId", u.deploymentId());
        close("User");
    }

    private void account(Account a) {
        open("Account", null);
        element("AccountType", a.accountType());
        element("Action", a.action().wireName());
        element("RedirectAddr", a.redirectAddr());
        element("RedirectUrl", a.redirectUrl());
        element("MicrosoftOnline", a.microsoftOnline());
        for (Protocol p : a.protocols()) {
            protocol(p);
        }
        close("Account");
    }

    private void protocol(Protocol p) {
        if (p.type() == ProtocolType.MAPI_HTTP) {
            line();
            out.append("<Protocol Type=\"").append(p.type().wireName()).append('"');
            p.version().ifPresent(v -> out.append(" Version=\"").append(v).append('"'));
            out.append(">\n");
            indent++;
        } else {
            open("Protocol", null);
            element("Type", p.type().wireName());
        }
        element("Server", p.server());
        element("ServerDN", p.serverDn());
        element("ServerVersion", p.serverVersion());
        element("MdbDN", p.mdbDn());
        element("PublicFolderServer", p.publicFolderServer());
        element("AD", p.ad());
        // Per [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/SSL): "On" or "Off".
        element("SSL", p.ssl().map(on -> on ? "On" : "Off"));
        element("AuthPackage", p.authPackage().map(AuthPackage::wireName));
        element("ASUrl", p.asUrl());
        element("EwsUrl", p.ewsUrl());
        element("EmwsUrl", p.emwsUrl());
        element("SharingUrl", p.sharingUrl());
        element("EcpUrl", p.ecpUrl());
        element("OOFUrl", p.oofUrl());
        element("UMUrl", p.umUrl());
        element("OABUrl", p.oabUrl());
        element("TTL", p.ttl().map(String::valueOf));
        // Exchange writes lower case on EXCH/EXPR and capitalised on EXHTTP.
        boolean capital = p.type() == ProtocolType.EXHTTP;
        element("ServerExclusiveConnect",
                p.serverExclusiveConnect().map(on -> on ? (capital ? "On" : "on") : (capital ? "Off" : "off")));
        element("CertPrincipalName", p.certPrincipalName());
        p.mailStore().ifPresent(m -> mapi("MailStore", m));
        p.addressBook().ifPresent(m -> mapi("AddressBook", m));
        // The spec's own example (section 4.4) lists External before Internal.
        p.external().ifPresent(e -> web("External", e));
        p.internal().ifPresent(e -> web("Internal", e));
        close("Protocol");
    }

    private void web(String name, WebEndpoints e) {
        open(name, null);
        for (OwaUrl u : e.owaUrls()) {
            line();
            out.append("<OWAUrl AuthenticationMethod=\"").append(escape(u.authenticationMethod(), true)).append("\">")
                    .append(escape(u.url(), false)).append("</OWAUrl>\n");
        }
        e.protocol().ifPresent(this::protocol);
        close(name);
    }

    private void mapi(String name, MapiHttpEndpoint m) {
        open(name, null);
        element("InternalUrl", m.internalUrl());
        element("ExternalUrl", m.externalUrl());
        close(name);
    }

    private void error(AutodiscoverError e) {
        line();
        out.append("<Error");
        e.time().ifPresent(t -> out.append(" Time=\"").append(escape(t, true)).append('"'));
        e.id().ifPresent(i -> out.append(" Id=\"").append(escape(i, true)).append('"'));
        out.append(">\n");
        indent++;
        element("ErrorCode", Integer.toString(e.errorCode().value()));
        element("Message", e.message());
        element("DebugData", e.debugData());
        close("Error");
    }

    // ---------------------------------------------------------------- primitives

    private void open(String name, String xmlns) {
        line();
        out.append('<').append(name);
        if (xmlns != null) {
            out.append(" xmlns=\"").append(xmlns).append('"');
        }
        out.append(">\n");
        indent++;
    }

    private void close(String name) {
        indent--;
        line();
        out.append("</").append(name).append(">\n");
    }

    private void element(String name, Optional<String> value) {
        value.ifPresent(v -> element(name, v));
    }

    private void element(String name, String value) {
        line();
        if (value.isEmpty()) {
            out.append('<').append(name).append(" />\n");
        } else {
            out.append('<').append(name).append('>').append(escape(value, false)).append("</").append(name)
                    .append(">\n");
        }
    }

    private void line() {
        out.append("  ".repeat(indent));
    }

    static String escape(String s, boolean attribute) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                default -> {
                    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF) {
                        throw new IllegalArgumentException(String.format(
                                "text: contains U+%04X (expected: XML 1.0 characters only)", (int) ch));
                    }
                    sb.append(ch);
                }
            }
        }
        return sb.toString();
    }
}
