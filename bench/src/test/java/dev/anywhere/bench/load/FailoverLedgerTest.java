package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.FailoverLedger.Broken;
import dev.anywhere.bench.load.FailoverLedger.Call;
import dev.anywhere.bench.load.FailoverLedger.Outcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the failover run judges each call against the kill: only a call in flight at the kill, or sent into a virtual
 * connection the kill had already cut before its client noticed, may fail; every other failure is a lost call.
 */
class FailoverLedgerTest {

    private static final long KILL = ms(10_000);
    private static final long OLD_VC = ms(1_000);
    private static final long NEW_VC = ms(10_030);

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Call failed(int client, long vc, long sent, long ended) {
        return new Call(client, vc, sent, ended, false, "the proxy closed the OUT channel while open");
    }

    @Test
    void aCallSentBeforeTheKillAndFailedAfterItWasInFlight() {
        assertThat(FailoverLedger.classify(failed(0, OLD_VC, KILL - ms(3), KILL + ms(2)), KILL, List.of()))
                .isEqualTo(Outcome.IN_FLIGHT_AT_KILL);
    }

    @Test
    void aCallThatFailedBeforeTheKillIsLost() {
        assertThat(FailoverLedger.classify(failed(0, OLD_VC, KILL - ms(300), KILL - ms(200)), KILL, List.of())).isEqualTo(Outcome.LOST);
    }

    @Test
    void aCallSentIntoAConnectionTheKillCutIsNotLostOnlyWhenTheCutWasNoticedSoonAfterTheKill() {
        Call c = failed(0, OLD_VC, KILL + ms(1), KILL + ms(2));
        assertThat(FailoverLedger.classify(c, KILL, List.of(new Broken(0, OLD_VC, KILL + ms(2), "closed"))))
                .isEqualTo(Outcome.SENT_BEFORE_NOTICED);
        // the same virtual connection failing long after the kill failed for another reason
        assertThat(FailoverLedger.classify(failed(0, OLD_VC, KILL + ms(2500), KILL + ms(2600)), KILL,
                List.of(new Broken(0, OLD_VC, KILL + ms(2600), "timeout")))).isEqualTo(Outcome.LOST);
        // another client's broken connection does not excuse this one
        assertThat(FailoverLedger.classify(c, KILL, List.of(new Broken(1, OLD_VC, KILL + ms(2), "closed")))).isEqualTo(Outcome.LOST);
    }

    @Test
    void aFailedCallOnAConnectionOpenedAfterTheKillIsLost() {
        assertThat(FailoverLedger.classify(failed(0, NEW_VC, KILL + ms(40), KILL + ms(41)), KILL,
                List.of(new Broken(0, NEW_VC, KILL + ms(41), "closed")))).isEqualTo(Outcome.LOST);
    }

    @Test
    void answersAreAnsweredOrMismatched() {
        assertThat(FailoverLedger.classify(new Call(0, OLD_VC, KILL - ms(3), KILL + ms(2), true, null), KILL, List.of()))
                .isEqualTo(Outcome.ANSWERED);
        assertThat(FailoverLedger.classify(new Call(0, OLD_VC, KILL - ms(3), KILL + ms(2), false, null), KILL, List.of()))
                .isEqualTo(Outcome.MISMATCHED);
    }

    @Test
    void theReportCountsOutcomesAndMeasuresNoticeAndRecoveryPerClientCutOff() {
        FailoverLedger ledger = new FailoverLedger();
        // client 0: cut off by the kill, noticed after 4 ms, answered again on a new virtual connection 50 ms after the kill
        ledger.call(new Call(0, OLD_VC, KILL - ms(100), KILL - ms(99), true, null));
        ledger.call(failed(0, OLD_VC, KILL - ms(1), KILL + ms(4)));
        ledger.broken(new Broken(0, OLD_VC, KILL + ms(4), "the proxy closed the IN channel while open"));
        ledger.reconnectFailed("connection refused");
        ledger.call(new Call(0, NEW_VC, KILL + ms(45), KILL + ms(50), true, null));
        // client 1: its virtual connection (both channels on the survivor) went on
        ledger.call(new Call(1, OLD_VC, KILL + ms(10), KILL + ms(11), true, null));
        // client 2: cut off, never answered again
        ledger.call(failed(2, OLD_VC, KILL + ms(1), KILL + ms(2)));
        ledger.broken(new Broken(2, OLD_VC, KILL + ms(2), "closed"));

        ObjectNode r = ledger.report(new ObjectMapper(), 3, KILL);

        assertThat(r.get("calls").get("sent").asLong()).isEqualTo(5);
        assertThat(r.get("calls").get("answered").asLong()).isEqualTo(3);
        assertThat(r.get("calls").get("answered_after_kill").asLong()).isEqualTo(2);
        assertThat(r.get("calls").get("in_flight_at_kill").asLong()).isEqualTo(1);
        assertThat(r.get("calls").get("sent_before_noticed").asLong()).isEqualTo(1);
        assertThat(r.get("calls").get("lost").asLong()).isZero();
        assertThat(r.get("clients").get("broken_by_kill").asInt()).isEqualTo(2);
        assertThat(r.get("clients").get("unaffected").asInt()).isEqualTo(1);
        assertThat(r.get("clients").get("recovered").asInt()).isEqualTo(1);
        assertThat(r.get("clients").get("not_recovered").asInt()).isEqualTo(1);
        assertThat(r.get("noticed_ms").get("max").asDouble()).isEqualTo(4.0);
        assertThat(r.get("reopened_ms").get("median").asDouble()).isEqualTo(45.0);
        assertThat(r.get("recovery_ms").get("median").asDouble()).isEqualTo(50.0);
        assertThat(r.get("reconnect_failures").get("connection refused").asInt()).isEqualTo(1);
        assertThat(r.get("per_client").get(2).get("recovered_ms").asDouble()).isEqualTo(-1.0);
    }
}
