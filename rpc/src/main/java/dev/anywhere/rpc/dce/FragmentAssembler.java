package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reassembles the fragments of one request or response call into a single PDU with FIRST_FRAG | LAST_FRAG.
 * One assembler per association direction: connection-oriented calls are not interleaved unless
 * PFC_CONC_MPX was negotiated, which Anywhere does not offer.
 *
 * <p>Checks: the first fragment carries FIRST_FRAG; later ones carry the same call_id and PTYPE and no
 * FIRST_FRAG; the reassembled stub stays within the cap given at construction (checked before copying).
 * The result has the first fragment's header fields (alloc_hint = total stub length) and no auth verifier:
 * per-fragment auth verifiers must be checked by the caller before handing fragments in.
 *
 * <p>Not thread-safe; use from the channel's event loop.
 *
 * @see [C706] 12.6.3.7 Fragmentation and Reassembly
 */
public final class FragmentAssembler {
    /** Default cap on a reassembled stub: 4 MiB, far above what Exchange's interfaces send in one call. */
    public static final int DEFAULT_MAX_STUB_BYTES = 4 * 1024 * 1024;

    private final int maxStubBytes;
    private DcePdu.CallFragment first;
    /** The stub so far: {@code size} bytes of {@code stub}. */
    private byte[] stub;
    private int size;

    public FragmentAssembler() {
        this(DEFAULT_MAX_STUB_BYTES);
    }

    public FragmentAssembler(int maxStubBytes) {
        if (maxStubBytes <= 0) {
            throw new IllegalArgumentException("maxStubBytes: " + maxStubBytes + " (expected: > 0)");
        }
        this.maxStubBytes = maxStubBytes;
    }

    /** True while a call has started (FIRST_FRAG seen) and not finished (LAST_FRAG not yet seen). */
    public boolean inProgress() {
        return first != null;
    }

    /** Discards a partial call (e.g. after an orphaned or co_cancel PDU). */
    public void reset() {
        first = null;
        stub = null;
        size = 0;
    }

    /**
     * Adds a fragment; returns the whole call once its LAST_FRAG fragment has been added.
     *
     * @throws DceProtocolException on a fragment out of sequence or a call over the size cap; the assembler is
     *     reset and the connection should be closed
     */
    public Optional<DcePdu.CallFragment> add(DcePdu.CallFragment fragment) {
        try {
            return addChecked(fragment);
        } catch (DceProtocolException e) {
            reset();
            throw e;
        }
    }

    private Optional<DcePdu.CallFragment> addChecked(DcePdu.CallFragment f) {
        boolean isFirst = f.flags().contains(PfcFlag.FIRST_FRAG);
        boolean isLast = f.flags().contains(PfcFlag.LAST_FRAG);
        if (first == null) {
            if (!isFirst) {
                throw new DceProtocolException("fragment of call_id " + f.callId()
                        + ": PFC_FIRST_FRAG missing (expected: on the first fragment of a call)");
            }
            checkSize(f.stub().length(), f.callId());
            if (isLast) {
                return Optional.of(f);
            }
            first = f;
            int n = f.stub().length();
            // alloc_hint (the sender's total) sizes the buffer so it never grows, but a peer gets at most 8 bytes
            // reserved per byte it sent (the old buffer reserved 2).
            long hint = Math.min(f.allocHint(), 8L * n);
            stub = new byte[(int) Math.min(maxStubBytes, Math.max(hint, Math.max(2L * n, 256)))];
            f.stub().copyTo(stub, 0);
            size = n;
            return Optional.empty();
        }
        if (isFirst) {
            throw new DceProtocolException("fragment of call_id " + f.callId() + ": PFC_FIRST_FRAG set (expected: "
                    + "continuation of call_id " + first.callId() + ")");
        }
        if (f.callId() != first.callId()) {
            throw new DceProtocolException("fragment call_id: " + Integer.toUnsignedString(f.callId())
                    + " (expected: " + Integer.toUnsignedString(first.callId()) + ")");
        }
        if (f.type() != first.type()) {
            throw new DceProtocolException("fragment PTYPE: " + f.type().wireName() + " (expected: "
                    + first.type().wireName() + ")");
        }
        int n = f.stub().length();
        checkSize((long) size + n, f.callId());
        if (size + n > stub.length) {
            stub = Arrays.copyOf(stub, (int) Math.min(maxStubBytes, Math.max(size + n, 2L * stub.length)));
        }
        f.stub().copyTo(stub, size);
        size += n;
        if (!isLast) {
            return Optional.empty();
        }
        Octets whole = Octets.adopt(stub, size); // reset() below lets go of the array
        DcePdu.CallFragment result;
        if (first instanceof DcePdu.Request q) {
            result = new DcePdu.Request(PfcFlag.SINGLE_FRAGMENT, q.callId(), whole.length(), q.contextId(), q.opnum(),
                    q.object(), whole, Optional.empty());
        } else {
            DcePdu.Response s = (DcePdu.Response) first;
            result = new DcePdu.Response(PfcFlag.SINGLE_FRAGMENT, s.callId(), whole.length(), s.contextId(),
                    s.cancelCount(), whole, Optional.empty());
        }
        reset();
        return Optional.of(result);
    }

    private void checkSize(long total, int callId) {
        if (total > maxStubBytes) {
            throw new DceProtocolException("reassembled stub of call_id " + Integer.toUnsignedString(callId) + ": "
                    + total + " bytes (expected: <= " + maxStubBytes + ")");
        }
    }
}
