package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A transcript that follows others: a connection kept open across steps writes into each step's own transcript. */
class TranscriptTest {

    @Test
    void aFollowingTranscriptWritesWhereItsTargetPointsAtTheTime() {
        Transcript first = new Transcript();
        Transcript second = new Transcript();
        AtomicReference<Transcript> current = new AtomicReference<>(first);
        Transcript kept = Transcript.following(current::get);

        kept.note("IN", RpchFailure.Text.of("note.tcp-connected", "where", "127.0.0.20:443"));
        kept.add("IN", true, "request call_id 2 opnum 0 120 bytes");
        current.set(second);
        kept.add("OUT", false, "response call_id 3 88 bytes");

        assertThat(first.lines()).hasSize(2);
        assertThat(first.lines().get(0)).endsWith("IN     tcp connected to 127.0.0.20:443");
        assertThat(first.lines().get(1)).endsWith("IN   → request call_id 2 opnum 0 120 bytes");
        assertThat(second.lines()).singleElement().asString().endsWith("OUT  ← response call_id 3 88 bytes");
        assertThat(kept.lines()).isEmpty();
    }

    @Test
    void itDescribesPdusOnlyWhenItsTargetRecords() {
        AtomicReference<Transcript> current = new AtomicReference<>(Transcript.off());
        Transcript kept = Transcript.following(current::get);
        assertThat(kept.enabled()).isFalse();
        current.set(new Transcript());
        assertThat(kept.enabled()).isTrue();
    }
}
