package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A filter of NspiGetMatches ({@code Restriction_r}): {@code rt}, the union's discriminant (equal to {@code rt}),
 * then the arm. Nesting deeper than {@link #MAX_DEPTH} is refused as bad stub data.
 *
 * @see [MS-OXNSPI] 2.3.4 Restrictions
 */
public sealed interface Restriction {

    /** Nesting we accept; Outlook's ambiguous-name filters are two or three levels deep. */
    int MAX_DEPTH = 32;

    int rt();

    record And(List<Restriction> terms) implements Restriction {
        public And {
            terms = List.copyOf(terms);
        }

        public int rt() {
            return 0;
        }
    }

    record Or(List<Restriction> terms) implements Restriction {
        public Or {
            terms = List.copyOf(terms);
        }

        public int rt() {
            return 1;
        }
    }

    record Not(Restriction term) implements Restriction {
        public Not {
            Objects.requireNonNull(term, "term");
        }

        public int rt() {
            return 2;
        }
    }

    /** Substring or prefix match ({@code ulFuzzyLevel}: FL_FULLSTRING 0, FL_SUBSTRING 1, FL_PREFIX 2, FL_IGNORECASE 0x10000). */
    record Content(int fuzzyLevel, int propTag, PropertyValue prop) implements Restriction {
        public Content {
            Objects.requireNonNull(prop, "prop");
        }

        public int rt() {
            return 3;
        }
    }

    /** Compares a property with a value ({@code relop}: RELOP_LT 0 … RELOP_EQ 4, RELOP_NE 5, RELOP_RE 6). */
    record Property(int relop, int propTag, PropertyValue prop) implements Restriction {
        public Property {
            Objects.requireNonNull(prop, "prop");
        }

        public int rt() {
            return 4;
        }
    }

    record CompareProps(int relop, int propTag1, int propTag2) implements Restriction {
        public int rt() {
            return 5;
        }
    }

    record BitMask(int relBmr, int propTag, int mask) implements Restriction {
        public int rt() {
            return 6;
        }
    }

    record Size(int relop, int propTag, int cb) implements Restriction {
        public int rt() {
            return 7;
        }
    }

    record Exist(int propTag) implements Restriction {
        public int rt() {
            return 8;
        }
    }

    record Sub(int subObject, Restriction term) implements Restriction {
        public Sub {
            Objects.requireNonNull(term, "term");
        }

        public int rt() {
            return 9;
        }
    }

    // ---- NDR ----

    static void write(NdrWriter w, Restriction res) {
        w.u32(res.rt()); // rt
        w.u32(res.rt()); // the union's discriminant
        if (res instanceof And a) {
            writeList(w, a.terms());
        } else if (res instanceof Or o) {
            writeList(w, o.terms());
        } else if (res instanceof Not n) {
            w.uniquePointer(n.term(), Restriction::write);
        } else if (res instanceof Content c) {
            w.u32(c.fuzzyLevel()).u32(c.propTag()).uniquePointer(c.prop(), (ww, p) -> p.write(ww));
        } else if (res instanceof Property p) {
            w.u32(p.relop()).u32(p.propTag()).uniquePointer(p.prop(), (ww, v) -> v.write(ww));
        } else if (res instanceof CompareProps c) {
            w.u32(c.relop()).u32(c.propTag1()).u32(c.propTag2());
        } else if (res instanceof BitMask b) {
            w.u32(b.relBmr()).u32(b.propTag()).u32(b.mask());
        } else if (res instanceof Size z) {
            w.u32(z.relop()).u32(z.propTag()).u32(z.cb());
        } else if (res instanceof Exist e) {
            w.u32(0).u32(e.propTag()).u32(0); // ulReserved1, ulPropTag, ulReserved2
        } else if (res instanceof Sub b) {
            w.u32(b.subObject()).uniquePointer(b.term(), Restriction::write);
        }
    }

    private static void writeList(NdrWriter w, List<Restriction> terms) {
        w.u32(terms.size()); // cRes
        w.uniquePointer(terms, (ww, list) -> ww.conformantArray(list, Restriction::write)); // lpRes
    }

    /** Complete once the caller has run {@link NdrReader#readDeferred()}. */
    static Supplier<Restriction> read(NdrReader r, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DceProtocolException("Restriction_r nesting: " + depth + " (expected: <= " + MAX_DEPTH + ")");
        }
        long rt = r.u32("Restriction_r rt");
        long discriminant = r.u32("RestrictionUnion_r discriminant");
        if (discriminant != rt) {
            throw new DceProtocolException("RestrictionUnion_r discriminant: " + discriminant + " (expected: rt " + rt + ")");
        }
        switch ((int) rt) {
            case 0, 1 -> {
                long count = r.u32("AndRestriction_r cRes");
                NdrReader.Deferred<List<Supplier<Restriction>>> terms = r.uniquePointer("AndRestriction_r lpRes", rr -> {
                    int n = rr.conformance("AndRestriction_r lpRes", PropertyTagArray.MAX_VALUES);
                    if (n != count) {
                        throw new DceProtocolException("AndRestriction_r lpRes max_count: " + n + " (expected: cRes "
                                + count + ")");
                    }
                    if (rr.remaining() < 8L * n) {
                        throw new DceProtocolException("AndRestriction_r lpRes: " + n + " terms, " + rr.remaining()
                                + " bytes left (expected: at least 8 per term)");
                    }
                    List<Supplier<Restriction>> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        out.add(read(rr, depth + 1));
                    }
                    return out;
                });
                return () -> {
                    List<Restriction> list = terms.toOptional().map(l -> l.stream().map(Supplier::get).toList())
                            .orElse(List.of());
                    return rt == 0 ? new And(list) : new Or(list);
                };
            }
            case 2 -> {
                NdrReader.Deferred<Supplier<Restriction>> term = r.uniquePointer("NotRestriction_r lpRes",
                        rr -> read(rr, depth + 1));
                return () -> new Not(required(term, "NotRestriction_r lpRes").get());
            }
            case 3, 4 -> {
                int first = r.i32(rt == 3 ? "ContentRestriction_r ulFuzzyLevel" : "PropertyRestriction_r relop");
                int tag = r.i32("Restriction ulPropTag");
                NdrReader.Deferred<Supplier<PropertyValue>> prop = r.uniquePointer("Restriction lpProp", PropertyValue::read);
                return () -> {
                    PropertyValue v = required(prop, "Restriction lpProp").get();
                    return rt == 3 ? new Content(first, tag, v) : new Property(first, tag, v);
                };
            }
            case 5, 6, 7, 8 -> {
                int a = r.i32("Restriction field 1");
                int b = r.i32("Restriction field 2");
                int c = r.i32("Restriction field 3");
                Restriction res = switch ((int) rt) {
                    case 5 -> new CompareProps(a, b, c);
                    case 6 -> new BitMask(a, b, c);
                    case 7 -> new Size(a, b, c);
                    default -> new Exist(b);
                };
                return () -> res;
            }
            case 9 -> {
                int subObject = r.i32("SubRestriction_r ulSubObject");
                NdrReader.Deferred<Supplier<Restriction>> term = r.uniquePointer("SubRestriction_r lpRes",
                        rr -> read(rr, depth + 1));
                return () -> new Sub(subObject, required(term, "SubRestriction_r lpRes").get());
            }
            default -> throw new DceProtocolException("Restriction_r rt: " + rt + " (expected: 0..9)");
        }
    }

    private static <T> T required(NdrReader.Deferred<T> d, String field) {
        if (!d.isPresent()) {
            throw new DceProtocolException(field + ": null (expected: a referent)");
        }
        return d.get();
    }
}
