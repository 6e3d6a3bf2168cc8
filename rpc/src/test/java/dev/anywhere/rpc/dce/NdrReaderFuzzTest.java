package dev.anywhere.rpc.dce;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;

/**
 * Stub data through {@link NdrReader} as the endpoints unmarshal it: the first byte picks a layout (a winreg
 * OpenKey request as in {@link NdrTest}, an ept_lookup reply with full-pointer towers, a chain of unique pointers),
 * the rest is the stub. Every layout either unmarshals or fails with a {@link DceProtocolException}. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class NdrReaderFuzzTest {

    @FuzzTest
    void unmarshalsOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        NdrReader r = new NdrReader(Octets.of(java.util.Arrays.copyOfRange(input, 1, input.length)));
        try {
            switch ((input[0] & 0xff) % 3) {
                case 0 -> openKey(r);
                case 1 -> lookupReply(r);
                default -> chain(r);
            }
        } catch (DceProtocolException expected) {
            // the documented refusal
        }
    }

    /** BaseRegOpenKey [in]: hKey, RRP_UNICODE_STRING with an embedded unique Buffer (may be null), options, access. */
    private static void openKey(NdrReader r) {
        r.contextHandle("hKey");
        r.u16("Length");
        r.u16("MaximumLength");
        NdrReader.Deferred<String> buffer = r.uniquePointer("Buffer", x -> x.wideString("Buffer", 32_767));
        r.readDeferred();
        r.u32("dwOptions");
        r.u32("samDesired");
        r.expectEnd("BaseRegOpenKey request");
        buffer.toOptional(); // a null Buffer is legal: NdrTest's reader calls get() and fails on it (found by fuzzing)
    }

    /** ept_lookup's [out] side: entry handle, num_ents, ept_entry_t[] with full pointers to towers, status. */
    private static void lookupReply(NdrReader r) {
        record Entry(UUID object, NdrReader.Deferred<Tower> tower, String annotation) {}
        r.contextHandle("entry_handle");
        r.u32("num_ents");
        List<Entry> entries = r.conformantVaryingArray("entries", 500, 28, x -> new Entry(
                x.uuid("object"),
                x.fullPointer("tower", y -> y.tower("tower", 1024)),
                x.varyingAsciiString("annotation", 64)));
        r.readDeferred();
        r.u32("status");
        r.expectEnd("ept_lookup response");
        entries.forEach(e -> e.tower().toOptional());
    }

    /** struct node { [unique] wchar_t *name; hyper id; [unique] struct node *next; }: referents deferred depth-first. */
    private static void chain(NdrReader r) {
        node(r);
        r.readDeferred();
        r.expectEnd("chain");
    }

    private static Object node(NdrReader r) {
        NdrReader.Deferred<String> name = r.uniquePointer("name", x -> x.wideString("name", 256));
        long id = r.hyper("id");
        NdrReader.Deferred<Object> next = r.uniquePointer("next", NdrReaderFuzzTest::node);
        return List.of(name, id, next);
    }
}
