package dev.anywhere.bench.load;

import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.bench.load.SoakLedger.Source;
import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's mixed load, every part at a fixed, modest rate through the router: callers (each a long-lived virtual
 * connection, Basic or NTLM, one echo call at a time, recycling both channels after {@code channelLifetime} bytes and
 * opening a new virtual connection when theirs fails), a logon worker (a fresh virtual connection every period,
 * Basic and NTLM in turn, bound, one call, closed) and an Autodiscover worker (a POX POST with Basic every period).
 * Every outcome goes to the {@link SoakLedger}.
 */
final class SoakLoad implements AutoCloseable {

    /** Rates and sizes. */
    record Rates(int callers, int callsPerSecond, int stubBytes, Duration logonEvery, Duration autodiscoverEvery, long channelLifetime,
            Duration timeout) {
    }

    private static final Pattern ERROR_CODE = Pattern.compile("<ErrorCode>([^<]*)</ErrorCode>");

    private final InetSocketAddress target;
    private final Rates rates;
    private final SoakLedger ledger;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong inRecycles = new AtomicLong();
    private final AtomicLong outRecycles = new AtomicLong();
    private final HttpClient http;
    private volatile boolean stopping;

    SoakLoad(InetSocketAddress target, Rates rates, SoakLedger ledger) {
        this.target = target;
        this.rates = rates;
        this.ledger = ledger;
        this.http = HttpClient.newBuilder().connectTimeout(rates.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    void start() {
        for (int i = 0; i < rates.callers(); i++) {
            boolean ntlm = i % 2 == 1;
            String name = "caller-" + i + (ntlm ? "-ntlm" : "-basic");
            workers.add(worker(name, () -> caller(name, ntlm)));
        }
        workers.add(worker("logons", this::logons));
        workers.add(worker("autodiscover", this::autodiscover));
    }

    private Thread worker(String name, Runnable body) {
        Thread t = new Thread(body, "soak-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long inRecycles() {
        return inRecycles.get();
    }

    long outRecycles() {
        return outRecycles.get();
    }

    private VirtualConnection open(boolean ntlm) throws Exception {
        ProxyAuth auth = ntlm ? new ProxyAuth.Ntlm(NtlmCredentials.ofPassword(SoakTopology.DOMAIN, SoakTopology.USER, SoakTopology.PASSWORD), "SOAK")
                : new ProxyAuth.Basic(SoakTopology.DOMAIN + "\\" + SoakTopology.USER, SoakTopology.PASSWORD);
        RpchClientOptions o = RpchClientOptions.builder(SoakTopology.PROXY_HOST, target.getPort(), "EX1", SoakGatewayMain.STORE_PORT)
                .tls(false).addressOverride(target.getAddress()).timeouts(rates.timeout()).callTimeout(rates.timeout()).auth(auth)
                .inRecycleAfter(rates.channelLifetime()).build();
        return VirtualConnection.open(o, Transcript.off());
    }

    private int bind(VirtualConnection vc) throws Exception {
        return vc.bind(Topology.ECHO_IFACE).get(rates.timeout().toMillis(), TimeUnit.MILLISECONDS).contextId();
    }

    /** One echo call with a stub of its own; null when it was answered (correctly or not: the ledger tells), else why not. */
    private Throwable call(VirtualConnection vc, int ctx) {
        long seq = ledger.begin();
        byte[] request = RecyclingRun.payload(seq, rates.stubBytes());
        long sent = System.nanoTime();
        try {
            ByteBuf r = vc.call(ctx, 0, Unpooled.wrappedBuffer(request)).get(rates.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            try {
                ledger.answer(seq, request, ByteBufUtil.getBytes(r));
            } finally {
                r.release();
            }
            return null;
        } catch (Exception e) {
            ledger.callFailed(seq, sent, e);
            return e;
        }
    }

    private void caller(String name, boolean ntlm) {
        long period = TimeUnit.SECONDS.toNanos(1) / rates.callsPerSecond();
        VirtualConnection vc = null;
        int ctx = 0;
        long next = System.nanoTime();
        while (!stopping) {
            if (vc == null) {
                try {
                    vc = open(ntlm);
                    ctx = bind(vc);
                    ledger.success(name, Source.RECONNECT);
                } catch (Exception e) {
                    ledger.failure(name, Source.RECONNECT, SoakLedger.kind(e));
                    vc = retire(vc);
                    pause(TimeUnit.MILLISECONDS.toNanos(250));
                    continue;
                }
            }
            Throwable failed = call(vc, ctx);
            if (failed == null) {
                ledger.success(name, Source.CALL);
            } else {
                ledger.failure(name, Source.CALL, SoakLedger.kind(failed));
                vc = retire(vc);
            }
            next += period;
            pause(next - System.nanoTime());
        }
        retire(vc);
    }

    private VirtualConnection retire(VirtualConnection vc) {
        if (vc != null) {
            inRecycles.addAndGet(vc.stats().inChannelRecycles());
            outRecycles.addAndGet(vc.stats().outChannelRecycles());
            vc.close();
        }
        return null;
    }

    private void logons() {
        long period = rates.logonEvery().toNanos();
        long next = System.nanoTime();
        for (long n = 0; !stopping; n++) {
            boolean ntlm = n % 2 == 1;
            Source source = ntlm ? Source.LOGON_NTLM : Source.LOGON_BASIC;
            VirtualConnection vc = null;
            try {
                vc = open(ntlm);
                Throwable failed = call(vc, bind(vc));
                if (failed == null) {
                    ledger.success("logons-" + source, source);
                } else {
                    ledger.failure("logons-" + source, source, SoakLedger.kind(failed));
                }
            } catch (Exception e) {
                ledger.failure("logons-" + source, source, SoakLedger.kind(e));
            } finally {
                retire(vc);
            }
            next += period;
            pause(next - System.nanoTime());
        }
    }

    private void autodiscover() {
        byte[] body = PoxCodec.writeRequest(AutodiscoverRequest.forEmail(SoakTopology.EMAIL));
        String basic = new HttpBasic(SoakTopology.DOMAIN + "\\" + SoakTopology.USER, SoakTopology.PASSWORD).authorization();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target.getAddress().getHostAddress() + ":" + target.getPort()
                + "/autodiscover/autodiscover.xml")).header("Authorization", basic).header("Content-Type", "text/xml; charset=utf-8")
                .timeout(rates.timeout()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long period = rates.autodiscoverEvery().toNanos();
        long next = System.nanoTime();
        while (!stopping) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Matcher error = ERROR_CODE.matcher(r.body());
                if (r.statusCode() == 200 && r.body().contains("<Type>EXPR</Type>")) {
                    ledger.success("autodiscover", Source.AUTODISCOVER);
                } else if (r.statusCode() == 200 && error.find()) {
                    ledger.failure("autodiscover", Source.AUTODISCOVER, "Autodiscover ErrorCode " + error.group(1));
                } else {
                    ledger.failure("autodiscover", Source.AUTODISCOVER, "HTTP " + r.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                ledger.failure("autodiscover", Source.AUTODISCOVER, SoakLedger.kind(e));
            }
            next += period;
            pause(next - System.nanoTime());
        }
    }

    static void pause(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops every worker after its current call (each waits at most the call timeout). */
    @Override
    public void close() {
        stopping = true;
        for (Thread t : workers) {
            try {
                t.join(rates.timeout().toMillis() * 3 + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
