package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** @see [MS-RPCH] 3.2.1.4.1 flow control: sender and receiver accounting */
class FlowControlTest {

    @Test
    void theSenderStopsAtThePeersWindowAndAppliesTheAckFormula() {
        FlowControl.Sender s = new FlowControl.Sender(65536);
        for (int i = 0; i < 16; i++) {
            assertThat(s.fits(4096)).isTrue();
            s.sent(4096);
        }
        assertThat(s.fits(1)).isFalse();
        // Per spec: AvailableWindow_ack - (BytesSent - BytesReceived_ack) = 65536 - (65536 - 32768).
        s.ack(32768, 65536);
        assertThat(s.available()).isEqualTo(32768);
        assertThat(s.fits(32768)).isTrue();
        assertThat(s.fits(32769)).isFalse();
    }

    @Test
    void anAckClaimingMoreThanWasSentOpensTheWholeAdvertisedWindow() {
        FlowControl.Sender s = new FlowControl.Sender(8192);
        s.sent(100);
        s.ack(120, 262144);
        assertThat(s.available()).isEqualTo(262144);
    }

    @Test
    void theReceiverAcksOnceHalfTheWindowWasConsumed() {
        FlowControl.Receiver r = new FlowControl.Receiver(65536);
        assertThat(r.received(40000)).isTrue();
        r.consumed(30000);
        assertThat(r.ackDue()).isFalse();
        r.consumed(10000);
        assertThat(r.ackDue()).isTrue();
        assertThat(r.bytesReceived()).isEqualTo(40000);
        assertThat(r.available()).isEqualTo(65536);
        r.acked();
        assertThat(r.ackDue()).isFalse();
        assertThat(r.received(65537)).isFalse();
    }
}
