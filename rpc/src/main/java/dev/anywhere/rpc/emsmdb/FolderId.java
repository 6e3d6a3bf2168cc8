package dev.anywhere.rpc.emsmdb;

import io.netty.buffer.ByteBuf;

/**
 * A folder ID: a 16-bit replica ID (little-endian) and a 48-bit global counter (big-endian), 8 bytes.
 *
 * @see [MS-OXCDATA] 2.2.1.1 Folder ID Structure
 */
public record FolderId(int replicaId, long globalCounter) {
    public static final int LENGTH = 8;

    public FolderId {
        if (replicaId >>> 16 != 0 || globalCounter >>> 48 != 0) {
            throw new IllegalArgumentException("folder ID: replica " + replicaId + ", counter " + globalCounter
                    + " (expected: 16-bit replica ID, 48-bit counter)");
        }
    }

    void writeTo(ByteBuf out) {
        out.writeShortLE(replicaId);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.writeByte((int) (globalCounter >>> shift));
        }
    }

    static FolderId read(dev.anywhere.rpc.wire.WireReader r, String field) {
        int replica = r.u16(field + " ReplicaId");
        long counter = 0;
        for (int i = 0; i < 6; i++) {
            counter = counter << 8 | r.u8(field + " GlobalCounter");
        }
        return new FolderId(replica, counter);
    }

    @Override
    public String toString() {
        return String.format("%04X-%012X", replicaId, globalCounter);
    }
}
