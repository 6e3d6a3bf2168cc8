package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.emsmdb.RopLogon;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * What Outlook does through the RPC proxy once it has chosen Outlook Anywhere, step by step, each binding authenticated
 * with NTLM at the profile's level (every response's signature verified):
 * <ol>
 * <li>referral: RfrGetNewDSA on the mailbox server's port 6002 names the address book server;</li>
 * <li>address book: NSPI on that server's port 6004, NspiBind, the user's own entry by legacyExchangeDN (NspiDNToMId,
 * NspiGetProps) with its home database, NspiUnbind, all on one virtual connection;</li>
 * <li>home server: RfrGetFQDNFromServerDN turns the home server's DN into its FQDN, on the referral binding of step 1,
 * which stays open for it as Outlook keeps it;</li>
 * <li>mailbox logon: EMSMDB on that server's port 6001, EcDoConnectEx, RopLogon, EcDoDisconnect.</li>
 * </ol>
 * An instance makes the calls of each step and holds the referral binding between them; both the analyzer's MAPI
 * steps and {@code anywhere profile connect} ({@link #run}) use it, so they open the same connections. They differ in
 * what they make of the answers: {@link #run} stops at the first step that fails, each step saying what it found or why
 * it failed with a stable cause id; the analyzer's steps go on with Autodiscover's server as Outlook falls back, also
 * resolve the SMTP address by name (RCA's "check name") and follow an ecWrongServer redirect once.
 *
 * <p>One step at a time (the steps depend on each other); close it after the last.
 *
 * @see [MS-OXABREF] 3.1.4, [MS-OXNSPI] 3.1.4, [MS-OXCRPC] 3.1.4
 */
public final class OutlookSequence implements AutoCloseable {

    /** Exchange 2010's fixed ports: the store, the referral service, the address book. */
    public static final int STORE_PORT = 6001;
    public static final int REFERRAL_PORT = 6002;
    public static final int ADDRESS_BOOK_PORT = 6004;

    /** The steps in Outlook's order. */
    public enum Step {
        REFERRAL, ADDRESS_BOOK, HOME_SERVER, MAILBOX_LOGON;

        /** {@code referral}, {@code address-book}, … */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Why a step failed: a stable id ({@code rpch.rpc-auth} for the client's failure kinds, {@code rfr.not-found},
     * {@code nspi.user-not-found}, {@code nspi.no-home-server}, {@code emsmdb.ecNotEncrypted}, …), one English line, and
     * for the client's failures the line as the bundle's text.
     */
    public record Cause(String id, String detail, Optional<RpchFailure.Text> text) {
        public Cause {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(text, "text");
        }

        /** A cause said in English only (an answer's own description, a property's value). */
        public Cause(String id, String detail) {
            this(id, detail, Optional.empty());
        }

        /** The detail in the language of {@code messages}: always in English, else only when it is a text of the bundle. */
        public Optional<String> detail(dev.anywhere.analyzer.text.Messages messages) {
            return text.map(t -> t.render(messages)).or(() -> messages.language().equals("en") ? Optional.of(detail) : Optional.empty());
        }
    }

    /**
     * One step's result.
     *
     * @param target {@code server:port} the step talked to through the proxy
     * @param values what it found, in order (e.g. {@code server}, {@code displayName}, {@code homeDatabase})
     * @param cause why it failed; empty when it passed
     */
    public record StepResult(Step step, String target, Map<String, String> values, Optional<Cause> cause, long millis) {
        public StepResult {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            Objects.requireNonNull(cause, "cause");
        }

        public boolean passed() {
            return cause.isEmpty();
        }
    }

    /**
     * Where and as whom.
     *
     * @param options the client options for {@code (server, port)} through the profile's proxy
     * @param auth the DCE/RPC authentication of every bind
     * @param userDn the mailbox's legacyExchangeDN
     * @param mailboxServer the server the profile names (EXCH Server), which the referral is asked on
     */
    public record Plan(BiFunction<String, Integer, RpchClientOptions> options, RpcAuth auth, String userDn, String mailboxServer) {
        public Plan {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(userDn, "userDn");
            Objects.requireNonNull(mailboxServer, "mailboxServer");
        }
    }

    /**
     * What the address book said about the user.
     *
     * @param byName NspiResolveNamesW's answer for the SMTP address, when one was asked
     * @param byDn the entry found by legacyExchangeDN (NspiDNToMId, NspiGetProps); empty when the server knows no such DN
     */
    public record AddressBookAnswer(Optional<AddressBookClient.Resolution.Status> byName, Optional<AddressBookClient.Mailbox> byDn) {
        public AddressBookAnswer {
            Objects.requireNonNull(byName, "byName");
            Objects.requireNonNull(byDn, "byDn");
        }
    }

    private final BiFunction<String, Integer, RpchClientOptions> options;
    private final RpcAuth auth;
    /** The transcript of the step running now: the kept referral binding writes there. */
    private volatile Transcript current = Transcript.off();
    private Referral referral;
    private String referralServer;

    /**
     * @param options the client options for {@code (server, port)} through the profile's proxy
     * @param auth the DCE/RPC authentication of every bind
     */
    public OutlookSequence(BiFunction<String, Integer, RpchClientOptions> options, RpcAuth auth) {
        this.options = Objects.requireNonNull(options, "options");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Step 1: RfrGetNewDSA for {@code userDn} on {@code server}:6002; the binding stays open for step 3. */
    public synchronized Referral.Answer newDsa(String server, String userDn, Transcript transcript) throws RpchFailure {
        return onReferral(server, transcript, r -> r.newDsa(userDn));
    }

    /**
     * Step 3 (and a redirect's look-up): RfrGetFQDNFromServerDN for {@code serverDn} on {@code server}:6002, on the
     * binding step 1 left open when it is to that server and still carries calls, else on a new one, kept in turn.
     */
    public synchronized Referral.Answer fqdn(String server, String serverDn, Transcript transcript) throws RpchFailure {
        return onReferral(server, transcript, r -> r.fqdn(serverDn));
    }

    private interface ReferralCall {
        Referral.Answer on(Referral referral) throws RpchFailure;
    }

    /** {@code call} on the kept binding to {@code server} (opened when there is none); a broken binding is dropped. */
    private Referral.Answer onReferral(String server, Transcript transcript, ReferralCall call) throws RpchFailure {
        Referral r = referral(server, transcript);
        try {
            return call.on(r);
        } catch (RpchFailure f) {
            closeReferral();
            throw f;
        }
    }

    private Referral referral(String server, Transcript transcript) throws RpchFailure {
        current = transcript;
        if (referral != null && (!referralServer.equalsIgnoreCase(server) || !referral.usable())) {
            closeReferral();
        }
        if (referral == null) {
            referral = Referral.open(options.apply(server, REFERRAL_PORT), auth, Transcript.following(() -> current));
            referralServer = server;
        }
        return referral;
    }

    private void closeReferral() {
        if (referral != null) {
            referral.close();
            referral = null;
        }
    }

    /**
     * Step 2 on {@code server}:6004, one virtual connection and one NSPI session: NspiBind, NspiResolveNamesW of
     * {@code address} when given, the entry of {@code userDn}, NspiUnbind.
     */
    public AddressBookAnswer addressBook(String server, Optional<String> address, String userDn, Transcript transcript)
            throws RpchFailure {
        try (AddressBookClient book = AddressBookClient.open(options.apply(server, ADDRESS_BOOK_PORT), auth, transcript)) {
            Optional<AddressBookClient.Resolution.Status> byName = address.isPresent()
                    ? Optional.of(book.resolve(List.of(address.get())).get(0).status()) : Optional.empty();
            return new AddressBookAnswer(byName, book.mailbox(userDn));
        }
    }

    /**
     * Step 4 on {@code server}:6001: EMSMDB bound, EcDoConnectEx, RopLogon, EcDoDisconnect ({@link MailboxLogon}); the
     * store's refusals are in the result, transport, bind and protocol failures are {@link RpchFailure}s.
     */
    public MailboxLogon.Result logOn(String server, String userDn, Transcript transcript) throws RpchFailure {
        RpchClientOptions o = options.apply(server, STORE_PORT);
        long timeout = 3 * o.callTimeout().toMillis() + 1000;
        try (VirtualConnection vc = VirtualConnection.open(o, transcript)) {
            int ctx = RpcPing.await(vc.bind(Emsmdb.INTERFACE, auth), o, RpchFailure.Hop.BIND).contextId();
            return MailboxLogon.run(MailboxLogon.on(vc, ctx), userDn).get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RpchFailure.of(RpchFailure.Hop.CALL, e.getCause());
        } catch (TimeoutException e) {
            throw new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.TIMEOUT, RpchFailure.Text.of("call.logon-no-answer", "ms", timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.TIMEOUT, RpchFailure.Text.of("call.interrupted"));
        }
    }

    /** Closes the referral binding, if one is still open. */
    @Override
    public synchronized void close() {
        closeReferral();
        current = Transcript.off();
    }

    /** Runs the steps in order until one fails; the results of the steps that ran. */
    public static List<StepResult> run(Plan plan, Transcript transcript) {
        List<StepResult> results = new ArrayList<>();
        Clock clock = new Clock();
        String target = plan.mailboxServer() + ":" + REFERRAL_PORT;
        try (OutlookSequence outlook = new OutlookSequence(plan.options(), plan.auth())) {
            Optional<String> nspiServer = referralStep(Step.REFERRAL, target, () -> outlook.newDsa(plan.mailboxServer(), plan.userDn(),
                    transcript), results, clock);
            if (nspiServer.isEmpty()) {
                return results;
            }
            Optional<String> homeServerDn = addressBook(outlook, plan, nspiServer.get(), transcript, results, clock);
            if (homeServerDn.isEmpty()) {
                return results;
            }
            Optional<String> home = referralStep(Step.HOME_SERVER, target, () -> outlook.fqdn(plan.mailboxServer(), homeServerDn.get(),
                    transcript), results, clock);
            if (home.isEmpty()) {
                return results;
            }
            results.add(logon(outlook, plan, home.get(), transcript, clock));
        }
        return results;
    }

    private interface Answering {
        Referral.Answer answer() throws RpchFailure;
    }

    /** Step 1 or 3, its result recorded: the server the referral service named, empty when the step failed. */
    private static Optional<String> referralStep(Step step, String target, Answering call, List<StepResult> results, Clock clock) {
        Referral.Answer a;
        try {
            a = call.answer();
        } catch (RpchFailure f) {
            results.add(failed(step, target, f, clock));
            return Optional.empty();
        }
        results.add(answered(step, target, a, clock));
        return a.found() ? a.server() : Optional.empty();
    }

    /** Step 2: the user's entry and its home server's DN; empty (with the step recorded) when it fails. */
    private static Optional<String> addressBook(OutlookSequence outlook, Plan plan, String server, Transcript transcript,
            List<StepResult> results, Clock clock) {
        String target = server + ":" + ADDRESS_BOOK_PORT;
        Optional<AddressBookClient.Mailbox> mailbox;
        try {
            mailbox = outlook.addressBook(server, Optional.empty(), plan.userDn(), transcript).byDn();
        } catch (RpchFailure f) {
            results.add(failed(Step.ADDRESS_BOOK, target, f, clock));
            return Optional.empty();
        }
        if (mailbox.isEmpty()) {
            results.add(new StepResult(Step.ADDRESS_BOOK, target, Map.of(), Optional.of(new Cause("nspi.user-not-found",
                    "NspiDNToMId: no entry has the legacyExchangeDN " + plan.userDn())), clock.lap()));
            return Optional.empty();
        }
        AddressBookClient.Mailbox m = mailbox.get();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("displayName", m.entry().displayName());
        values.put("smtpAddress", m.entry().smtpAddress());
        values.put("homeDatabase", m.homeDatabaseDn().orElse(""));
        Optional<String> home = m.homeServerDn();
        values.put("homeServerDn", home.orElse(""));
        results.add(new StepResult(Step.ADDRESS_BOOK, target, values, home.isPresent() ? Optional.empty()
                : Optional.of(new Cause("nspi.no-home-server", "PR_EMS_AB_HOME_MDB: "
                        + m.homeDatabaseDn().orElse("(none)") + " (expected: a database DN below /cn=Servers/cn=NAME)")),
                clock.lap()));
        return home;
    }

    /** Step 4: EcDoConnectEx, RopLogon, EcDoDisconnect on the home server. */
    private static StepResult logon(OutlookSequence outlook, Plan plan, String server, Transcript transcript, Clock clock) {
        String target = server + ":" + STORE_PORT;
        MailboxLogon.Result r;
        try {
            r = outlook.logOn(server, plan.userDn(), transcript);
        } catch (RpchFailure f) {
            return failed(Step.MAILBOX_LOGON, target, f, clock);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("server", server);
        values.put("serverVersion", r.connect().serverVersion().toString());
        Optional<MailboxLogon.Failure> failure = r.failure();
        if (failure.isPresent()) {
            String detail = failure.get().step().name().toLowerCase(Locale.ROOT) + ": " + EcCode.describe(failure.get().code());
            if (r.logon().orElse(null) instanceof RopLogon.Redirect redirect) {
                values.put("redirect", redirect.serverName());
                detail += ", the mailbox is on " + redirect.serverName();
            }
            String name = EcCode.describe(failure.get().code());
            String id = name.startsWith("ec") ? name.substring(0, name.indexOf(' ')) : "failed";
            return new StepResult(Step.MAILBOX_LOGON, target, values, Optional.of(new Cause("emsmdb." + id, detail)), clock.lap());
        }
        RopLogon.Success ok = (RopLogon.Success) r.logon().orElseThrow();
        values.put("mailboxGuid", ok.mailboxGuid().toString());
        values.put("displayName", r.connect().displayName());
        return new StepResult(Step.MAILBOX_LOGON, target, values, Optional.empty(), clock.lap());
    }

    private static StepResult answered(Step step, String target, Referral.Answer answer, Clock clock) {
        if (answer.found()) {
            return new StepResult(step, target, Map.of("server", answer.server().orElseThrow()), Optional.empty(), clock.lap());
        }
        String id = "rfr." + answer.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        return new StepResult(step, target, Map.of(), Optional.of(new Cause(id, answer.describe())), clock.lap());
    }

    /**
     * A failure as its client kind, except a fault ERROR_ACCESS_DENIED: on a binding that authenticated with NTLM it is
     * the RPC server refusing the AUTHENTICATE after the proxy accepted the HTTP logon ({@code rpc.dce-auth-refused}).
     */
    private static StepResult failed(Step step, String target, RpchFailure f, Clock clock) {
        boolean refused = f.getCause() instanceof RpcFaultException fault && fault.status().code() == DceStatus.ACCESS_DENIED.code();
        return new StepResult(step, target, Map.of(), Optional.of(new Cause(refused ? "rpc.dce-auth-refused" : f.kind().id(),
                f.getMessage(), f.text().map(t -> RpchFailure.Text.of("hop-line", "hop", RpchFailure.Text.of("label." + f.hop().name()),
                        "detail", t)))), clock.lap());
    }

    /** Milliseconds since the previous lap. */
    private static final class Clock {
        private long last = System.nanoTime();

        long lap() {
            long now = System.nanoTime();
            long ms = (now - last) / 1_000_000;
            last = now;
            return ms;
        }
    }
}
