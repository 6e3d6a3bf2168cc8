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
 * What Outlook does through the RPC proxy once it has chosen Outlook Anywhere, step by step, each on its own virtual
 * connection bound with NTLM at the profile's level (every response's signature verified):
 * <ol>
 * <li>referral: RfrGetNewDSA on the mailbox server's port 6002 names the address book server;</li>
 * <li>address book: NSPI on that server's port 6004, NspiBind, the user's own entry by legacyExchangeDN (NspiDNToMId,
 * NspiGetProps) with its home database, NspiUnbind;</li>
 * <li>home server: RfrGetFQDNFromServerDN turns the home server's DN into its FQDN (on the referral binding);</li>
 * <li>mailbox logon: EMSMDB on that server's port 6001, EcDoConnectEx, RopLogon, EcDoDisconnect.</li>
 * </ol>
 * The sequence stops at the first step that fails; each step says what it found or why it failed, with a stable
 * cause id for callers that word it themselves.
 *
 * @see [MS-OXABREF] 3.1.4, [MS-OXNSPI] 3.1.4, [MS-OXCRPC] 3.1.4
 */
public final class OutlookSequence {

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

    private OutlookSequence() {
    }

    /** Runs the steps in order until one fails; the results of the steps that ran. */
    public static List<StepResult> run(Plan plan, Transcript transcript) {
        List<StepResult> results = new ArrayList<>();
        Clock clock = new Clock();
        String target = plan.mailboxServer() + ":" + REFERRAL_PORT;
        try (Referral referral = Referral.open(plan.options().apply(plan.mailboxServer(), REFERRAL_PORT), plan.auth(), transcript)) {
            Referral.Answer dsa = referral.newDsa(plan.userDn());
            results.add(answered(Step.REFERRAL, target, dsa, clock));
            if (!dsa.found()) {
                return results;
            }
            String nspiServer = dsa.server().orElseThrow();
            Optional<String> homeServerDn = addressBook(plan, nspiServer, transcript, results, clock);
            if (homeServerDn.isEmpty()) {
                return results;
            }
            Referral.Answer fqdn = referral.fqdn(homeServerDn.get());
            results.add(answered(Step.HOME_SERVER, target, fqdn, clock));
            if (!fqdn.found()) {
                return results;
            }
        } catch (RpchFailure f) {
            // the referral binding failed, before the first step's answer or at the home server's
            results.add(failed(results.isEmpty() ? Step.REFERRAL : Step.HOME_SERVER, target, f, clock));
            return results;
        }
        results.add(logon(plan, results.get(results.size() - 1).values().get("server"), transcript, clock));
        return results;
    }

    /** Step 2: the user's entry and its home server's DN; empty (with the step recorded) when it fails. */
    private static Optional<String> addressBook(Plan plan, String server, Transcript transcript, List<StepResult> results,
            Clock clock) {
        String target = server + ":" + ADDRESS_BOOK_PORT;
        try (AddressBookClient book = AddressBookClient.open(plan.options().apply(server, ADDRESS_BOOK_PORT), plan.auth(), transcript)) {
            Optional<AddressBookClient.Mailbox> mailbox = book.mailbox(plan.userDn());
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
        } catch (RpchFailure f) {
            results.add(failed(Step.ADDRESS_BOOK, target, f, clock));
            return Optional.empty();
        }
    }

    /** Step 4: EcDoConnectEx, RopLogon, EcDoDisconnect on the home server. */
    private static StepResult logon(Plan plan, String server, Transcript transcript, Clock clock) {
        String target = server + ":" + STORE_PORT;
        RpchClientOptions options = plan.options().apply(server, STORE_PORT);
        try (VirtualConnection vc = VirtualConnection.open(options, transcript)) {
            int ctx = RpcPing.await(vc.bind(Emsmdb.INTERFACE, plan.auth()), options, RpchFailure.Hop.BIND).contextId();
            MailboxLogon.Result r = MailboxLogon.run(MailboxLogon.on(vc, ctx), plan.userDn())
                    .get(3 * options.callTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
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
        } catch (RpchFailure f) {
            return failed(Step.MAILBOX_LOGON, target, f, clock);
        } catch (ExecutionException e) {
            return failed(Step.MAILBOX_LOGON, target, RpchFailure.of(RpchFailure.Hop.CALL, e.getCause()), clock);
        } catch (TimeoutException e) {
            return failed(Step.MAILBOX_LOGON, target, new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.TIMEOUT,
                    RpchFailure.Text.of("call.logon-no-answer", "ms", 3 * options.callTimeout().toMillis())), clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(Step.MAILBOX_LOGON, target, new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.TIMEOUT,
                    RpchFailure.Text.of("call.interrupted")),
                    clock);
        }
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
