package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.RpchFailure;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The soak's exact accounting: an answer is its call's, a repeated one a duplicate, anything else a mismatch. */
class SoakLedgerTest {

    private static final int SIZE = 64;

    @Test
    void answersAreMatchedToTheirCallsDuplicatesAndMismatchesCounted() {
        SoakLedger ledger = new SoakLedger();
        long a = ledger.begin();
        long b = ledger.begin();
        long c = ledger.begin();
        byte[] first = RecyclingRun.payload(a, SIZE);
        ledger.answer(a, first, first.clone());
        assertThat(ledger.answered()).isEqualTo(1);

        ledger.answer(b, RecyclingRun.payload(b, SIZE), first.clone()); // call a's answer again, delivered to call b
        assertThat(ledger.duplicated()).isEqualTo(1);

        ledger.answer(a, first, first.clone()); // the same call answered twice
        assertThat(ledger.duplicated()).isEqualTo(2);

        byte[] wrong = RecyclingRun.payload(c, SIZE);
        wrong[SIZE - 1] ^= 1;
        ledger.answer(c, RecyclingRun.payload(c, SIZE), wrong);
        assertThat(ledger.mismatched()).isEqualTo(1);
        assertThat(ledger.answered()).isEqualTo(1);
        assertThat(ledger.sent()).isEqualTo(3);
    }

    @Test
    void anOutageLastsFromAWorkersFirstFailureToItsNextSuccess() {
        SoakLedger ledger = new SoakLedger();
        ledger.failure("w", SoakLedger.Source.RECONNECT, "connection refused");
        ledger.failure("w", SoakLedger.Source.RECONNECT, "connection refused");
        ledger.success("w", SoakLedger.Source.RECONNECT);
        ledger.failure("v", SoakLedger.Source.AUTODISCOVER, "HTTP 503");
        assertThat(ledger.outages()).hasSize(2);
        SoakLedger.Outage w = ledger.outages().get(0);
        assertThat(w.worker()).isEqualTo("w");
        assertThat(w.toNanos()).isGreaterThanOrEqualTo(w.fromNanos());
        assertThat(ledger.outages().get(1).toNanos()).isEqualTo(-1); // v has not worked again
        assertThat(ledger.failures()).hasSize(3);
    }

    @Test
    void failureKindsNameTheHopAndCauseWithoutVaryingNumbers() {
        assertThat(SoakLedger.kind(new CompletionException(new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.TIMEOUT,
                "no response to call_id 4711 after 10 s")))).isEqualTo("call: rpch.timeout (no response to call_id N after 10 s)");
        assertThat(SoakLedger.kind(new RpchFailure(RpchFailure.Hop.PROXY, RpchFailure.Kind.RPC_PROXY_ERROR, "refused EX1:31234")))
                .isEqualTo("rpc proxy: rpch.rpc-proxy-error (refused EX1:N)");
        assertThat(SoakLedger.kind(new ConnectException("Connection refused"))).isEqualTo("connection refused");
        assertThat(SoakLedger.kind(new TimeoutException())).isEqualTo("timeout");
        assertThat(SoakLedger.kind(new java.io.IOException("Connection reset"))).isEqualTo("connection closed (Connection reset)");
    }
}
