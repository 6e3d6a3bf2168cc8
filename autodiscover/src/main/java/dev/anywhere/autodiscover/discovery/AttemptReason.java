package dev.anywhere.autodiscover.discovery;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an attempt ended as it did, as a sentence with a key and named values: {@link #line()} says it in English (what
 * {@link Attempt#reason()} has always been), and a caller with a message bundle says it in its own language from
 * {@link Key#id()} and {@link #values()} (the analyzer: {@code autodiscover.reason.<id>}, its English checked equal
 * to {@link Key#english()}). A value is a string or a nested reason (a cause, a part that depends on the case).
 *
 * @param key which sentence
 * @param values its named values: strings as they are (host names, URLs, status codes), nested reasons in the same language
 */
public record AttemptReason(Key key, Map<String, Object> values) {

    /** The sentences, English, with named placeholders. */
    public enum Key {
        EXCLUDED("excluded ({switch})"),
        ALREADY_TRIED("already tried in this run"),
        SCP_FOUND("{count} URL SCP(s) under {configNc} at {where}: {inSite} in site {site}, {unscoped} unscoped, {otherSites} other site(s){ignored}"),
        SCP_IGNORED("; {count} pointer SCP(s) not used"),
        SCP_VIA("{what} -> {inner}"),
        SCP_POINTER_FOR("pointer SCP for {domain}"),
        SCP_UNSCOPED_POINTER("unscoped pointer SCP"),
        SCP_NO_CONFIG("scp: {where} root DSE has no configurationNamingContext (expected: an Active Directory-style directory)"),
        SCP_LDAP("scp: {where} {code}: {detail} (expected: a reachable directory)"),
        SCP_BAD_BINDING("scp: {what} serviceBindingInformation: {binding} (expected: LDAP://host[:port]/...)"),
        SRV_NONE("dns: {name} has no SRV record (expected: at least one)"),
        SRV_TARGETS("{count} SRV target(s), by priority then weight"),
        SRV_OUTSIDE("SRV target {host} is outside {domain}: needs consent (--allow-redirect {host}), as Outlook prompts"),
        REDIRECT_OUTSIDE("{via} to {host} outside {domain}: needs consent (--allow-redirect {host})"),
        TARGET_NOT_URL("redirect target: {url} is not a URL (expected: an https URL ending in {path})"),
        TARGET_INVALID("redirect target: {url} (expected: an https URL ending in {path})"),
        HTTP_REDIRECT_STATUS("http redirect status: {status} (expected: 302)"),
        HTTP_REDIRECT_NO_LOCATION("http redirect Location: absent (expected: an https URL)"),
        HTTP_REDIRECT_REFUSED("302 to {location} refused: redirect to host {host} needs consent (--allow-redirect {host}), as Outlook prompts"),
        HTTP_REDIRECT_CONSENTED("302 to {location} (consented: --allow-redirect {host})"),
        URL_INVALID("url: {url} is invalid (expected: an absolute https URL)"),
        CREDENTIALS_WITHHELD("http status: 401; credentials withheld from {host} outside {domain} (consent: --allow-redirect {host})"),
        REDIRECT_WITHOUT_LOCATION("http status: {status} without Location (expected: 200)"),
        HTTP_REDIRECTED("http {status} redirect to {location}"),
        CREDENTIALS_REJECTED("http status: 401 Unauthorized; credentials rejected (expected: 200)"),
        NO_CREDENTIALS("http status: 401 Unauthorized; no credentials configured (expected: 200)"),
        HTTP_STATUS("http status: {status} (expected: 200)"),
        JUNK("junk answer: {detail}"),
        AUTODISCOVER_ERROR("autodiscover error: ErrorCode {code}{message} (expected: settings)"),
        /** The server's own message of an Autodiscover error, as it sent it. */
        AUTODISCOVER_MESSAGE(" {text}"),
        REDIRECT_ADDR_INVALID("RedirectAddr: {to} (expected: an SMTP address)"),
        REDIRECT_ADDR("redirectAddr to {to}"),
        REDIRECT_URL("redirectUrl to {to}"),
        SETTINGS("settings: {protocols}"),
        TRUST_NO_MANAGER("trust anchors: no X.509 trust manager (expected: one)"),
        TRUST_UNREADABLE("trust anchors: {detail} (expected: a readable PEM CA file)"),
        TRUST_NO_CERTIFICATE("trust anchors: no certificate in {file} (expected: PEM)"),
        DNS_BAD_LITERAL("dns: {host} is not a valid literal (expected: an address)"),
        DNS_NOT_FOUND("dns: {host} does not resolve (expected: an A or AAAA record)"),
        DNS_NO_ADDRESS("dns: {host} has no A or AAAA record at {server} (expected: an address)"),
        DNS_BAD_NAME("dns: name {host} is invalid (expected: a DNS name)"),
        DNS_NO_ANSWER("dns: {type} {host} at {server}: {cause} (expected: an answer within {ms} ms)"),
        DNS_RCODE("dns: {type} {host} answered {rcode} (expected: NOERROR or NXDOMAIN)"),
        SYSTEM_RESOLVER("system resolver"),
        /** An address or name as it is, where a translated alternative may stand ({@link #SYSTEM_RESOLVER}). */
        ADDRESS("{address}"),
        TCP_CONNECT("tcp connect: {address}:{port} {cause} (expected: connection within {ms} ms)"),
        TLS_HANDSHAKE("tls handshake with {host}: {cause} (expected: a trusted certificate for {host})"),
        TLS_UNAVAILABLE("tls: {detail} (expected: a TLS implementation)"),
        HTTP_INTERRUPTED("http: interrupted (expected: a response)"),
        HTTP_NO_RESPONSE("http response: none within {ms} ms (expected: a response)"),
        HTTP_CLOSED("http response: connection closed before a response (expected: a response)"),
        HTTP_BAD_RESPONSE("http response: {cause} (expected: a response of at most {max} bytes)"),
        NONE("(none)"),
        // Why a whole run failed (DiscoveryResult.failure)
        NO_CANDIDATE("no candidate answered with settings for {email}{lastError}"),
        LAST_ERROR(" (last Autodiscover error: {error})"),
        TOO_MANY_REDIRECTS("redirections: more than {max} (expected: <= {max})"),
        // Causes, never an exception's class name (the analyzer tells a closed connection by "closed", a timeout by "timed out")
        CAUSE_TIMED_OUT("timed out"),
        CAUSE_REFUSED("connection refused"),
        CAUSE_CLOSED("connection closed"),
        CAUSE_UNREACHABLE("no route to host"),
        CAUSE_OTHER("{detail}"),
        CAUSE_UNEXPECTED("unexpected failure");

        private final String english;

        Key(String english) {
            this.english = english;
        }

        /** The key as a bundle names it: {@code SCP_NO_CONFIG} → {@code scp-no-config}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The English sentence with its placeholders. */
        public String english() {
            return english;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    /** What gives a Java type away: a class name or a package prefix; such a message is not shown. */
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|\\bio\\.netty|\\bsun\\.");

    public AttemptReason {
        Objects.requireNonNull(key, "key");
        Map<String, Object> copy = new LinkedHashMap<>();
        // A value the step did not have reads as the key NONE, never "null".
        values.forEach((k, v) -> copy.put(k, v == null ? new AttemptReason(Key.NONE, Map.of()) : v));
        values = java.util.Collections.unmodifiableMap(copy);
    }

    /** {@code of(Key.HTTP_STATUS, "status", 404)}: values by name; numbers become text. */
    public static AttemptReason of(Key key, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            values.put((String) namesAndValues[i], v == null || v instanceof AttemptReason ? v : String.valueOf(v));
        }
        return new AttemptReason(key, values);
    }

    /** The sentence in English. */
    public String line() {
        Matcher m = PLACEHOLDER.matcher(key.english());
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            String s = v instanceof AttemptReason r ? r.line() : v == null ? m.group() : v.toString();
            m.appendReplacement(b, Matcher.quoteReplacement(s));
        }
        return m.appendTail(b).toString();
    }

    /**
     * A failure as a cause: timed out, refused, closed, unreachable, else its own message when it names no class,
     * else "unexpected failure". Looks through the causes; Netty's and the JDK's types say more than their messages.
     */
    public static AttemptReason cause(Throwable failure) {
        if (failure == null) {
            return of(Key.CAUSE_TIMED_OUT);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof SocketTimeoutException || name.contains("Timeout") || message.contains("timed out")) {
                return of(Key.CAUSE_TIMED_OUT);
            }
            if (t instanceof ConnectException || message.contains("connection refused")) {
                return of(Key.CAUSE_REFUSED);
            }
            if (t instanceof NoRouteToHostException) {
                return of(Key.CAUSE_UNREACHABLE);
            }
            if (t instanceof ClosedChannelException || t instanceof EOFException || name.contains("Closed")
                    || message.contains("closed") || message.contains("connection reset") || message.contains("terminated")
                    || message.contains("eof")) {
                return of(Key.CAUSE_CLOSED);
            }
            if (t.getCause() == null && t.getMessage() != null && !t.getMessage().isBlank() && !CLASS_NAME.matcher(t.getMessage()).find()) {
                return of(Key.CAUSE_OTHER, "detail", t.getMessage().replace('\n', ' '));
            }
        }
        return of(Key.CAUSE_UNEXPECTED);
    }
}
