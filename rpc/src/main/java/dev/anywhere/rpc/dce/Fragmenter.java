package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a request or response whose stub does not fit in the peer's {@code max_recv_frag} (our
 * {@code max_xmit_frag}) into fragments: FIRST_FRAG on the first, LAST_FRAG on the last, the same call_id,
 * and alloc_hint = the stub bytes remaining from that fragment on.
 *
 * <p>Only unauthenticated calls are fragmented here; with an auth verifier each fragment is cut with
 * {@link #fragmentStub} to {@link PduSecurity#maxStubPerFragment} and then protected on its own.
 *
 * @see [C706] 12.6.3.7 Fragmentation and Reassembly
 */
public final class Fragmenter {
    /** [C706] 12.6.3.6: the smallest max_xmit_frag / max_recv_frag any implementation must accept. */
    public static final int MIN_FRAG = 1432;

    private Fragmenter() {}

    /** The fragments of {@code call}; a single element if it already fits. */
    public static List<DcePdu.CallFragment> fragment(DcePdu.CallFragment call, int maxXmitFrag) {
        if (call.auth().isPresent()) {
            throw new IllegalArgumentException("auth verifier: present (expected: none; sign each fragment separately)");
        }
        if (maxXmitFrag < MIN_FRAG || maxXmitFrag > 0xffff) {
            throw new IllegalArgumentException("max_xmit_frag: " + maxXmitFrag + " (expected: 1432..65535)");
        }
        int overhead = CoHeader.LENGTH + 8;
        if (call instanceof DcePdu.Request q && q.object().isPresent()) {
            overhead += Guids.LENGTH;
        }
        return fragmentStub(call, maxXmitFrag - overhead);
    }

    /** The fragments of {@code call}, each carrying at most {@code chunk} stub bytes (at least one fragment). */
    public static List<DcePdu.CallFragment> fragmentStub(DcePdu.CallFragment call, int chunk) {
        if (chunk <= 0) {
            throw new IllegalArgumentException("stub bytes per fragment: " + chunk + " (expected: > 0)");
        }
        Octets stub = call.stub();
        List<DcePdu.CallFragment> out = new ArrayList<>();
        int offset = 0;
        do {
            int end = Math.min(stub.length(), offset + chunk);
            EnumSet<PfcFlag> flags = EnumSet.noneOf(PfcFlag.class);
            for (PfcFlag f : call.flags()) {
                if (f != PfcFlag.FIRST_FRAG && f != PfcFlag.LAST_FRAG) {
                    flags.add(f);
                }
            }
            if (offset == 0) {
                flags.add(PfcFlag.FIRST_FRAG);
            }
            if (end == stub.length()) {
                flags.add(PfcFlag.LAST_FRAG);
            }
            out.add(withStub(call, flags, stub.length() - offset, stub.slice(offset, end)));
            offset = end;
        } while (offset < stub.length());
        return List.copyOf(out);
    }

    private static DcePdu.CallFragment withStub(DcePdu.CallFragment call, Set<PfcFlag> flags, long allocHint,
                                                Octets part) {
        if (call instanceof DcePdu.Request q) {
            return new DcePdu.Request(flags, q.callId(), allocHint, q.contextId(), q.opnum(), q.object(), part,
                    Optional.empty());
        }
        DcePdu.Response s = (DcePdu.Response) call;
        return new DcePdu.Response(flags, s.callId(), allocHint, s.contextId(), s.cancelCount(), part,
                Optional.empty());
    }
}
