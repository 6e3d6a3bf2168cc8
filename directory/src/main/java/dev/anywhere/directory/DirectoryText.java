package dev.anywhere.directory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What went wrong with the directory as a key and named values, so a user interface says it in its reader's language
 * (the command line's bundle, {@code directory.problem.<id>}); {@link #english()} is the sentence this module always
 * wrote. A value is a string as the directory or the caller had it (a DN, a URL, an LDAP result code such as
 * {@code noSuchObject(32)}: the protocol's and the server's words, quoted rather than translated) or a nested text
 * (the operation that failed).
 *
 * @param key what, and the English sentence with {@code {name}} placeholders
 * @param values the placeholders' values by name: a {@link DirectoryText} or a string
 */
public record DirectoryText(Key key, Map<String, Object> values) {

    /** The sentences; the id is the bundle key's last part. */
    public enum Key {
        LDAP_FAILED("ldap-failed", "{what}: {code} (expected: success)"),
        CONNECT("op.connect", "connect to {url} as {dn}"),
        BIND("op.bind", "bind as {user}"),
        READ("op.read", "read {dn}"),
        READ_ROOT_DSE("op.root-dse", "read root DSE"),
        SEARCH("op.search", "search {base} for {filter}"),
        ADD("op.add", "add {dn}"),
        ADD_CONTAINER("op.add-container", "add container {dn}"),
        MODIFY("op.modify", "modify {dn}"),
        DELETE("op.delete", "delete {dn}"),
        DN("op.dn", "dn {dn}"),
        SEED("op.seed", "seed the address book"),
        CLOSED("closed", "directory: closed (expected: open)"),
        LOCAL_SERVER_MISSING("local-server-missing", "local server not found: {server} (expected: a server object of that name in the directory)"),
        NO_SERVER_OBJECT("no-server-object", "server {server}: no object at {dn} (expected: an {objectClass})"),
        USER_NOT_FOUND("user-not-found", "user {user}: not found under {dn} (expected: a user object)"),
        USER_AMBIGUOUS("user-ambiguous", "user for {what}: {count} entries (expected: exactly one)"),
        NT_PASSWORD("nt-password", "{attribute} of {user}: malformed (expected: 32 hex digits)"),
        NOT_AN_INTEGER("not-an-integer", "{attribute} of {dn}: {value} (expected: a 32-bit integer)"),
        NOT_A_URL("not-a-url", "{attribute} of {dn}: {value} (expected: an absolute URL)"),
        DN_TOO_SHORT("dn-too-short", "dn: {dn} (expected: at least {count} RDNs)"),
        ADDRESS_BOOK_SEARCH("address-book-search", "address book: search {base}: {code}"),
        EMBEDDED_LISTEN("embedded-listen", "embedded directory on {address}: {cause}"),
        EMBEDDED_START("embedded-start", "embedded directory on {address}: {code} (expected: started)"),
        SLAPD_MISSING("slapd-missing", "slapd: not installed (expected: {binary}; Debian: apt-get install slapd ldap-utils, then keep its "
                + "service stopped)"),
        SLAPD_EXITED("slapd-exited", "slapd on {url}: exited with {status} (expected: running); log: {log}"),
        SLAPD_NO_ANSWER("slapd-no-answer", "slapd: no answer on {url} after {seconds} s (expected: root DSE); log: {log}");

        private final String id;
        private final String english;

        Key(String id, String english) {
            this.id = id;
            this.english = english;
        }

        /** The bundle key's last part ({@code op.connect}). */
        public String id() {
            return id;
        }

        /** The English sentence with its placeholders. */
        public String english() {
            return english;
        }
    }

    public DirectoryText {
        Objects.requireNonNull(key, "key");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The text for {@code key} with its values as name, value pairs; a value that is not a text is kept as a string. */
    public static DirectoryText of(Key key, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            values.put((String) namesAndValues[i], v instanceof DirectoryText ? v : String.valueOf(v));
        }
        return new DirectoryText(key, values);
    }

    /**
     * The text as flat insertion strings for an event's data, each name under {@code prefix}: {@code error.key =
     * ldap-failed}, {@code error.code = connect error(91)}, {@code error.what.key = op.connect}, {@code error.what.url =
     * ldap://…}; {@link #fromData} reads them back.
     */
    public Map<String, String> data(String prefix) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(prefix + "key", key.id());
        values.forEach((name, value) -> {
            if (value instanceof DirectoryText t) {
                data.putAll(t.data(prefix + name + "."));
            } else {
                data.put(prefix + name, (String) value);
            }
        });
        return data;
    }

    /** The text {@link #data} wrote under {@code prefix}; empty when there is none or its key is not known here. */
    public static java.util.Optional<DirectoryText> fromData(Map<String, String> data, String prefix) {
        String id = data.get(prefix + "key");
        java.util.Optional<Key> key = java.util.Arrays.stream(Key.values()).filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            return java.util.Optional.empty();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : names(key.get().english())) {
            java.util.Optional<DirectoryText> nested = fromData(data, prefix + name + ".");
            if (nested.isPresent()) {
                values.put(name, nested.get());
            } else if (data.containsKey(prefix + name)) {
                values.put(name, data.get(prefix + name));
            } else {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(new DirectoryText(key.get(), values));
    }

    private static java.util.List<String> names(String template) {
        java.util.List<String> names = new java.util.ArrayList<>();
        int open = template.indexOf('{');
        while (open >= 0) {
            int close = template.indexOf('}', open);
            names.add(template.substring(open + 1, close));
            open = template.indexOf('{', close);
        }
        return names;
    }

    /** The English sentence, nested texts included. */
    public String english() {
        // One pass, so a value that itself holds braces (an LDAP filter) is never filled again.
        String t = key.english();
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf('{', i);
            int close = open < 0 ? -1 : t.indexOf('}', open);
            if (close < 0) {
                b.append(t, i, t.length());
                break;
            }
            Object v = values.get(t.substring(open + 1, close));
            b.append(t, i, open).append(v == null ? t.substring(open, close + 1) : v instanceof DirectoryText d ? d.english() : v);
            i = close + 1;
        }
        return b.toString();
    }
}
