package dev.anywhere.server.gateway.rpch;

/**
 * Flow-control accounting for one hop, both ends. Only RPC PDUs (PTYPE ≠ 20) count; RTS PDUs never do.
 *
 * @see [MS-RPCH] 3.2.1.1.4 Flow control abstract data model
 * @see [MS-RPCH] 3.2.1.4.1 Flow control (sender and receiver rules)
 */
final class FlowControl {

    private FlowControl() {
    }

    /**
     * The sender's side: PeerReceiveWindow from the peer's ReceiveWindowSize, BytesSent, and the window left after
     * the last FlowControlAck: {@code AvailableWindow_ack − (BytesSent − BytesReceived_ack)}.
     */
    static final class Sender {
        private final long peerWindow;
        private long bytesSent;
        private long available;

        Sender(long peerWindow) {
            this.peerWindow = peerWindow;
            this.available = peerWindow;
        }

        /** Whether a PDU of {@code n} bytes may be sent now. */
        boolean fits(int n) {
            return n <= available;
        }

        void sent(int n) {
            bytesSent += n;
            available -= n;
        }

        /**
         * Applies a FlowControlAck. Per spec BytesReceived is a u32 that wraps; acks claiming more than was sent are
         * taken as "everything arrived" (lenient: some clients count RTS bytes too).
         */
        void ack(long bytesReceived, long availableWindow) {
            long sent32 = bytesSent & 0xffff_ffffL;
            long inFlight = (sent32 - bytesReceived) & 0xffff_ffffL;
            if (inFlight > bytesSent) {
                inFlight = 0;
            }
            available = Math.max(0, availableWindow - inFlight);
        }

        long available() {
            return available;
        }

        long bytesSent() {
            return bytesSent;
        }

        long peerWindow() {
            return peerWindow;
        }
    }

    /**
     * The receiver's side: the advertised window, BytesReceived (queued) and what has been consumed (forwarded to
     * the next hop). An ack is due once half the window was consumed since the last one, as impacket, FreeRDP and
     * OpenChange do.
     */
    static final class Receiver {
        private final long window;
        private long received;
        private long consumed;
        private long consumedAtLastAck;

        Receiver(long window) {
            this.window = window;
        }

        /** Counts a queued PDU; false if the peer overran the advertised window. */
        boolean received(int n) {
            received += n;
            return received - consumed <= window;
        }

        void consumed(int n) {
            consumed += n;
        }

        boolean ackDue() {
            return consumed - consumedAtLastAck >= window / 2;
        }

        /** BytesReceived for the ack (u32). */
        long bytesReceived() {
            return received & 0xffff_ffffL;
        }

        /** AvailableWindow for the ack. */
        long available() {
            return Math.max(0, window - (received - consumed));
        }

        void acked() {
            consumedAtLastAck = consumed;
        }

        long window() {
            return window;
        }
    }
}
