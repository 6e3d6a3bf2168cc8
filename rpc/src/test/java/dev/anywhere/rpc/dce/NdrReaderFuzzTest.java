package dev.anywhere.rpc.dce;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.UUID;

/**
 * Stub data through {@link NdrReader} as the endpoints unmarshal it: the first byte picks a layout (the winreg
 * OpenKey request of {@link NdrTest}, an ept_lookup reply with full-pointer towers, a chain of unique pointers), the
 * rest is the stub. Every layout either unmarshals or fails with a {@link DceProtocolException}. docs/fuzzing.md
 */
class NdrReaderFuzzTest {

    @FuzzTest
    void unmarshalsOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        NdrReader r = new NdrReader(Octets.of(java.util.Arrays.copyOfRange(input, 1, input.length)));
        try {
            switch ((input[0] & 0xff) % 3) {
                case 0 -> NdrTest.OpenKeyRequest.read(r);
                case 1 -> lookupReply(r);
                default -> chain(r);
            }
        } catch (DceProtocolException expected) {
            // the documented refusal
        }
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
