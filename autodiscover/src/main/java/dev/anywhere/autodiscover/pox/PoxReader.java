package dev.anywhere.autodiscover.pox;

import dev.anywhere.autodiscover.pox.PoxParseException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the element tree to the model. Unknown elements are skipped (newer Exchange builds add children), known
 * elements are checked for duplicates and values; enum-like values are read case-insensitively.
 */
final class PoxReader {

    private PoxReader() {
    }

    // ---------------------------------------------------------------- request

    static AutodiscoverRequest readRequest(byte[] bytes, int length, PoxLimits limits) throws PoxParseException {
        try (PoxCursor c = PoxCursor.open(bytes, length, limits)) {
            expectRoot(c, PoxNamespaces.REQUEST);
            String email = null;
            String legacyDn = null;
            String schema = null;
            boolean sawRequest = false;
            while (c.nextChild()) {
                if (!c.localName().equals("Request") || !c.namespace().equals(PoxNamespaces.REQUEST)) {
                    c.skip();
                    continue;
                }
                if (sawRequest) {
                    throw duplicate("Request");
                }
                sawRequest = true;
                Set<String> seen = new HashSet<>();
                while (c.nextChild()) {
                    if (!c.namespace().equals(PoxNamespaces.REQUEST)) {
                        c.skip();
                        continue;
                    }
                    String name = c.localName();
                    switch (name) {
                        case "EMailAddress" -> { once(seen, name); email = c.text(); }
                        case "LegacyDN" -> { once(seen, name); legacyDn = c.text(); }
                        case "AcceptableResponseSchema" -> { once(seen, name); schema = c.text(); }
                        default -> c.skip();
                    }
                }
            }
            c.finish();
            if (!sawRequest) {
                throw missing("Request", "Autodiscover");
            }
            if (schema == null) {
                throw missing("AcceptableResponseSchema", "Request");
            }
            Optional<String> e = Optional.ofNullable(email).filter(s -> !s.isEmpty());
            Optional<String> l = Optional.ofNullable(legacyDn).filter(s -> !s.isEmpty());
            if (e.isEmpty() && l.isEmpty()) {
                throw new PoxParseException(Reason.MISSING_ELEMENT,
                        "Request: no EMailAddress and no LegacyDN (expected: at least one, non-empty)");
            }
            return new AutodiscoverRequest(e, l, schema);
        }
    }

    // ---------------------------------------------------------------- response

    static AutodiscoverResponse readResponse(byte[] bytes, int length, PoxLimits limits) throws PoxParseException {
        try (PoxCursor c = PoxCursor.open(bytes, length, limits)) {
            expectRoot(c, PoxNamespaces.RESPONSE);
            AutodiscoverResponse result = null;
            while (c.nextChild()) {
                if (!c.localName().equals("Response")) {
                    c.skip();
                    continue;
                }
                String ns = c.namespace();
                if (!ns.equals(PoxNamespaces.RESPONSE) && !ns.equals(PoxNamespaces.OUTLOOK_RESPONSE)) {
                    throw new PoxParseException(Reason.WRONG_NAMESPACE, "Response namespace: " + quote(ns)
                            + " (expected: " + PoxNamespaces.OUTLOOK_RESPONSE + ")");
                }
                if (result != null) {
                    throw duplicate("Response");
                }
                result = readResponseElement(c, ns);
            }
            c.finish();
            if (result == null) {
                throw missing("Response", "Autodiscover");
            }
            return result;
        }
    }

    private static AutodiscoverResponse readResponseElement(PoxCursor c, String ns) throws PoxParseException {
        Optional<User> user = Optional.empty();
        Optional<Account> account = Optional.empty();
        Optional<AutodiscoverError> error = Optional.empty();
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "User" -> {
                    if (user.isPresent()) {
                        throw duplicate("User");
                    }
                    user = Optional.of(readUser(c, ns));
                }
                case "Account" -> {
                    if (account.isPresent()) {
                        throw duplicate("Account");
                    }
                    account = Optional.of(readAccount(c, ns));
                }
                case "Error" -> {
                    if (error.isPresent()) {
                        throw duplicate("Error");
                    }
                    error = Optional.of(readError(c, ns));
                }
                default -> c.skip();
            }
        }
        if (account.isEmpty() && error.isEmpty()) {
            throw new PoxParseException(Reason.MISSING_ELEMENT,
                    "Response: neither Account nor Error (expected: one of them)");
        }
        return new AutodiscoverResponse(user, account, error);
    }

    private static User readUser(PoxCursor c, String ns) throws PoxParseException {
        Fields f = new Fields("User");
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "DisplayName", "LegacyDN", "AutoDiscoverSMTPAddress", "DefaultABView", "DeploymentId" ->
                    f.put(c.localName(), c.text());
                default -> c.skip();
            }
        }
        return new User(f.get("DisplayName"), f.get("LegacyDN"), f.get("AutoDiscoverSMTPAddress"),
                f.get("DefaultABView"), f.get("DeploymentId"));
    }

    private static AutodiscoverError readError(PoxCursor c, String ns) throws PoxParseException {
        Optional<String> time = Optional.ofNullable(c.attribute("Time"));
        Optional<String> id = Optional.ofNullable(c.attribute("Id"));
        Fields f = new Fields("Error");
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "ErrorCode", "Message", "DebugData" -> f.put(c.localName(), c.text());
                default -> c.skip();
            }
        }
        String code = f.get("ErrorCode").orElseThrow(() -> missing("ErrorCode", "Error"));
        return new AutodiscoverError(time, id, ErrorCode.valueOf(integer("ErrorCode", code)), f.get("Message"),
                f.get("DebugData"));
    }

    private static Account readAccount(PoxCursor c, String ns) throws PoxParseException {
        Fields f = new Fields("Account");
        List<Protocol> protocols = new ArrayList<>();
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "AccountType", "Action", "RedirectAddr", "RedirectUrl", "MicrosoftOnline" ->
                    f.put(c.localName(), c.text());
                case "Protocol" -> readProtocol(c, ns).ifPresent(protocols::add);
                default -> c.skip();
            }
        }
        String actionText = f.get("Action").orElseThrow(() -> missing("Action", "Account"));
        Action action = Action.parse(actionText).orElseThrow(() -> invalid("Action", actionText,
                "settings, redirectAddr or redirectUrl"));
        if (action == Action.REDIRECT_ADDR && f.get("RedirectAddr").isEmpty()) {
            throw missing("RedirectAddr", "Account with Action redirectAddr");
        }
        if (action == Action.REDIRECT_URL && f.get("RedirectUrl").isEmpty()) {
            throw missing("RedirectUrl", "Account with Action redirectUrl");
        }
        return new Account(f.get("AccountType").orElse(Account.EMAIL), action,
                action == Action.REDIRECT_ADDR ? f.get("RedirectAddr") : Optional.empty(),
                action == Action.REDIRECT_URL ? f.get("RedirectUrl") : Optional.empty(), f.get("MicrosoftOnline"),
                protocols);
    }

    /** Reads one Protocol; empty when its Type is one this model does not know (the element is skipped). */
    private static Optional<Protocol> readProtocol(PoxCursor c, String ns) throws PoxParseException {
        // mapiHttp carries Type and Version as attributes.
        String typeAttr = c.attribute("Type");
        String versionAttr = c.attribute("Version");
        Fields f = new Fields("Protocol");
        WebEndpoints internal = null;
        WebEndpoints external = null;
        MapiHttpEndpoint mailStore = null;
        MapiHttpEndpoint addressBook = null;
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            String name = c.localName();
            switch (name) {
                case "Type", "Server", "ServerDN", "ServerVersion", "MdbDN", "PublicFolderServer", "AD", "SSL",
                        "AuthPackage", "ASUrl", "EwsUrl", "EmwsUrl", "SharingUrl", "EcpUrl", "OOFUrl", "UMUrl",
                        "OABUrl", "TTL", "ServerExclusiveConnect", "CertPrincipalName" -> f.put(name, c.text());
                case "Internal" -> {
                    if (internal != null) {
                        throw duplicate("Internal");
                    }
                    internal = readWebEndpoints(c, ns, "Internal");
                }
                case "External" -> {
                    if (external != null) {
                        throw duplicate("External");
                    }
                    external = readWebEndpoints(c, ns, "External");
                }
                case "MailStore" -> {
                    if (mailStore != null) {
                        throw duplicate("MailStore");
                    }
                    mailStore = readMapiEndpoint(c, ns, "MailStore");
                }
                case "AddressBook" -> {
                    if (addressBook != null) {
                        throw duplicate("AddressBook");
                    }
                    addressBook = readMapiEndpoint(c, ns, "AddressBook");
                }
                default -> c.skip();
            }
        }
        String typeText = f.get("Type").orElse(typeAttr);
        if (typeText == null) {
            throw missing("Type", "Protocol");
        }
        Optional<ProtocolType> type = ProtocolType.parse(typeText);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Protocol.Builder b = Protocol.builder(type.get());
        if (versionAttr != null && type.get() == ProtocolType.MAPI_HTTP) {
            // Version belongs to the mapiHttp protocol only; on another type (a Type child overriding the attribute)
            // it is ignored, as the writer could not carry it
            b.version(integer("Protocol Version", versionAttr));
        }
        f.get("Server").ifPresent(b::server);
        f.get("ServerDN").ifPresent(b::serverDn);
        f.get("ServerVersion").ifPresent(b::serverVersion);
        f.get("MdbDN").ifPresent(b::mdbDn);
        f.get("PublicFolderServer").ifPresent(b::publicFolderServer);
        f.get("AD").ifPresent(b::ad);
        if (f.get("SSL").isPresent()) {
            b.ssl(onOff("SSL", f.get("SSL").get()));
        }
        if (f.get("AuthPackage").isPresent()) {
            String v = f.get("AuthPackage").get();
            b.authPackage(AuthPackage.parse(v).orElseThrow(() -> invalid("AuthPackage", v,
                    "Basic, Kerb, KerbNtlm, Ntlm, Certificate, Negotiate, Nego2 or Anonymous, any case")));
        }
        f.get("ASUrl").ifPresent(b::asUrl);
        f.get("EwsUrl").ifPresent(b::ewsUrl);
        f.get("EmwsUrl").ifPresent(b::emwsUrl);
        f.get("SharingUrl").ifPresent(b::sharingUrl);
        f.get("EcpUrl").ifPresent(b::ecpUrl);
        f.get("OOFUrl").ifPresent(b::oofUrl);
        f.get("UMUrl").ifPresent(b::umUrl);
        f.get("OABUrl").ifPresent(b::oabUrl);
        if (f.get("TTL").isPresent()) {
            int ttl = integer("TTL", f.get("TTL").get());
            if (ttl < -1 || ttl > 65536) {
                throw invalid("TTL", Integer.toString(ttl), "-1..65536 hours");
            }
            b.ttl(ttl);
        }
        if (f.get("ServerExclusiveConnect").isPresent()) {
            b.serverExclusiveConnect(onOff("ServerExclusiveConnect", f.get("ServerExclusiveConnect").get()));
        }
        f.get("CertPrincipalName").ifPresent(b::certPrincipalName);
        if (internal != null) {
            b.internal(internal);
        }
        if (external != null) {
            b.external(external);
        }
        if (mailStore != null) {
            b.mailStore(mailStore);
        }
        if (addressBook != null) {
            b.addressBook(addressBook);
        }
        return Optional.of(b.build());
    }

    private static WebEndpoints readWebEndpoints(PoxCursor c, String ns, String what) throws PoxParseException {
        List<OwaUrl> owa = new ArrayList<>();
        Optional<Protocol> nested = Optional.empty();
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "OWAUrl" -> {
                    String method = c.attribute("AuthenticationMethod");
                    owa.add(new OwaUrl(method == null ? "" : method, c.text()));
                }
                case "Protocol" -> {
                    if (nested.isPresent()) {
                        throw duplicate(what + "/Protocol");
                    }
                    nested = readProtocol(c, ns);
                }
                default -> c.skip();
            }
        }
        return new WebEndpoints(owa, nested);
    }

    private static MapiHttpEndpoint readMapiEndpoint(PoxCursor c, String ns, String what) throws PoxParseException {
        Fields f = new Fields(what);
        while (c.nextChild()) {
            if (!c.namespace().equals(ns)) {
                c.skip();
                continue;
            }
            switch (c.localName()) {
                case "InternalUrl", "ExternalUrl" -> f.put(c.localName(), c.text());
                default -> c.skip();
            }
        }
        return new MapiHttpEndpoint(f.get("InternalUrl"), f.get("ExternalUrl"));
    }

    // ---------------------------------------------------------------- helpers

    private static void expectRoot(PoxCursor c, String ns) throws PoxParseException {
        if (!c.localName().equals("Autodiscover")) {
            throw new PoxParseException(Reason.WRONG_ROOT,
                    "root element: " + c.localName() + " (expected: Autodiscover)");
        }
        if (!c.namespace().equals(ns)) {
            throw new PoxParseException(Reason.WRONG_NAMESPACE,
                    "Autodiscover namespace: " + quote(c.namespace()) + " (expected: " + ns + ")");
        }
    }

    private static boolean onOff(String what, String text) throws PoxParseException {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw invalid(what, text, "On or Off, any case");
        };
    }

    private static int integer(String what, String text) throws PoxParseException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(what, text, "a decimal integer");
        }
    }

    private static void once(Set<String> seen, String name) throws PoxParseException {
        if (!seen.add(name)) {
            throw duplicate(name);
        }
    }

    private static PoxParseException duplicate(String name) {
        return new PoxParseException(Reason.DUPLICATE_ELEMENT, name + ": appears twice (expected: at most once)");
    }

    private static PoxParseException missing(String name, String parent) {
        return new PoxParseException(Reason.MISSING_ELEMENT, name + ": absent in " + parent + " (expected: present)");
    }

    private static PoxParseException invalid(String name, String actual, String expected) {
        String shown = actual.length() > 64 ? actual.substring(0, 64) + "…" : actual;
        return new PoxParseException(Reason.INVALID_VALUE, name + ": " + quote(shown) + " (expected: " + expected + ")");
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Simple child elements seen once each. */
    private static final class Fields {
        private final String parent;
        private final java.util.Map<String, String> values = new java.util.HashMap<>();

        Fields(String parent) {
            this.parent = parent;
        }

        void put(String name, String value) throws PoxParseException {
            if (values.putIfAbsent(name, value) != null) {
                throw duplicate(parent + "/" + name);
            }
        }

        Optional<String> get(String name) {
            return Optional.ofNullable(values.get(name));
        }
    }
}
