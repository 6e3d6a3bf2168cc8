package dev.anywhere.server.nspi;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressList;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.nspi.Restriction;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates NspiGetMatches filters and ambiguous name resolution against recipients. Supported: And, Or, Not,
 * Exist, Property (PR_ANR with RELOP_EQ; string properties with the six comparisons) and Content (full string,
 * substring, prefix; case is always ignored, as Exchange's address book does). Anything else is "too complex".
 *
 * @see [MS-OXNSPI] 3.1.4.7 Ambiguous Name Resolution, [MS-OXCDATA] 2.12 Restrictions
 */
final class RestrictionMatcher {

    private static final int RELOP_LT = 0;
    private static final int RELOP_LE = 1;
    private static final int RELOP_GT = 2;
    private static final int RELOP_GE = 3;
    private static final int RELOP_EQ = 4;
    private static final int RELOP_NE = 5;

    /** Only for reading values; entry IDs (which need the server GUID) are never compared. */
    private static final AddressBookRows ROWS = new AddressBookRows(new java.util.UUID(0, 0));

    private RestrictionMatcher() {
    }

    /** Whether {@code r} passes; empty when the filter uses something this server does not evaluate. */
    static Optional<Boolean> matches(Restriction res, Recipient r, Charset charset) {
        if (res instanceof Restriction.And and) {
            boolean all = true;
            for (Restriction t : and.terms()) {
                Optional<Boolean> m = matches(t, r, charset);
                if (m.isEmpty()) {
                    return m;
                }
                all &= m.get();
            }
            return Optional.of(all);
        }
        if (res instanceof Restriction.Or or) {
            boolean any = false;
            for (Restriction t : or.terms()) {
                Optional<Boolean> m = matches(t, r, charset);
                if (m.isEmpty()) {
                    return m;
                }
                any |= m.get();
            }
            return Optional.of(any);
        }
        if (res instanceof Restriction.Not not) {
            return matches(not.term(), r, charset).map(b -> !b);
        }
        if (res instanceof Restriction.Exist e) {
            return Optional.of(hasValue(r, e.propTag()));
        }
        if (res instanceof Restriction.Property p) {
            Optional<String> wanted = text(p.prop(), charset);
            if (wanted.isEmpty()) {
                return Optional.empty();
            }
            if (PropTags.id(p.propTag()) == PropTags.id(PropTags.ANR)) {
                return p.relop() == RELOP_EQ ? Optional.of(anrMatches(r, wanted.get())) : Optional.empty();
            }
            List<String> have = strings(r, p.propTag(), charset);
            return Optional.of(have.stream().anyMatch(h -> compare(h, wanted.get(), p.relop())));
        }
        if (res instanceof Restriction.Content c) {
            Optional<String> wanted = text(c.prop(), charset);
            if (wanted.isEmpty()) {
                return Optional.empty();
            }
            String w = wanted.get().toLowerCase(Locale.ROOT);
            int level = c.fuzzyLevel() & 0xFFFF;
            return Optional.of(strings(r, c.propTag(), charset).stream().map(h -> h.toLowerCase(Locale.ROOT))
                    .anyMatch(h -> level == 1 ? h.contains(w) : level == 2 ? h.startsWith(w) : h.equals(w)));
        }
        return Optional.empty();
    }

    /** ANR over a container: the visible recipients {@code name} designates, in the container's order. */
    static List<Recipient> anr(AddressList container, AddressBook b, String name) {
        List<Recipient> out = new ArrayList<>();
        for (int mid : container.members()) {
            Recipient r = b.byMid(mid).orElseThrow();
            if (anrMatches(r, name)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean anrMatches(Recipient r, String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.isEmpty()) {
            return false;
        }
        if (r.alias().equalsIgnoreCase(n) || r.displayName().toLowerCase(Locale.ROOT).startsWith(n)) {
            return true;
        }
        for (String word : r.displayName().toLowerCase(Locale.ROOT).split("\\s+")) {
            if (word.startsWith(n)) {
                return true;
            }
        }
        return r.smtpAddresses().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).startsWith(n));
    }

    private static boolean compare(String have, String wanted, int relop) {
        int c = have.compareToIgnoreCase(wanted);
        return switch (relop) {
            case RELOP_LT -> c < 0;
            case RELOP_LE -> c <= 0;
            case RELOP_GT -> c > 0;
            case RELOP_GE -> c >= 0;
            case RELOP_EQ -> c == 0;
            case RELOP_NE -> c != 0;
            default -> false;
        };
    }

    /** The recipient's string values for a tag's property ID (multi-valued ones element by element). */
    private static List<String> strings(Recipient r, int tag, Charset charset) {
        Optional<Object> v = valueOf(r, tag);
        if (v.isPresent() && v.get() instanceof String s) {
            return List.of(s);
        }
        if (v.isPresent() && v.get() instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static boolean hasValue(Recipient r, int tag) {
        return valueOf(r, tag).isPresent();
    }

    /** The value in its natural type (PtypUnspecified asks for that; strings come back as Java strings). */
    private static Optional<Object> valueOf(Recipient r, int tag) {
        PropertyValue v = ROWS.recipient(r, List.of(PropTags.withType(tag, 0)), null, false).values().get(0);
        return v.type() == PropertyValue.PT_ERROR ? Optional.empty() : Optional.ofNullable(v.value());
    }

    private static Optional<String> text(PropertyValue v, Charset charset) {
        if (v.value() instanceof String s) {
            return Optional.of(s);
        }
        if (v.type() == PropertyValue.PT_STRING8 && v.value() instanceof Octets o) {
            return Optional.of(new String(o.toByteArray(), charset));
        }
        return Optional.empty();
    }
}
