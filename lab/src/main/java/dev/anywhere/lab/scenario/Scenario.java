package dev.anywhere.lab.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.server.configurator.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One trap of the Outlook Anywhere story as data: what to break in the topology (its {@link Topology.Faults}), what
 * state to put the running site in, how the client looks at it, and what the analyzer should say. Read from
 * {@code scenarios.json} by {@link Scenarios}; nothing in the analyzer knows scenarios exist.
 *
 * @param name the name {@code anywhere lab --scenario} takes ({@code dns-missing-oa})
 * @param broken what is broken, in one sentence (English)
 * @param brokenDe the same sentence in German ({@code broken_de} in the catalogue, beside the English one, as the
 *     finding catalogue keeps both languages); null in a scenario built by a test, which then has only English
 * @param expected the expected primary finding id (first error in tree order, else first warning); null = healthy
 * @param findings every finding id the analyzer should report, no more and no fewer
 * @param topology the named topology the scenario runs on ({@code cas-array}); null = the single site, or the
 *     topology the command is given
 * @param faults faults applied to the topology before anything starts
 * @param members what differs on one member of an array (host name → its state)
 * @param balancer the array's load balancer; null = as docs/scale-out.md configures it
 * @param site the state of the running site before the analyzer looks
 * @param client where and with what the client looks
 */
@JsonPropertyOrder({"name", "broken", "broken_de", "expected", "findings", "topology", "faults", "members", "balancer", "site", "client"})
public record Scenario(String name, String broken, @JsonProperty("broken_de") String brokenDe, String expected, List<String> findings,
        String topology, Topology.Faults faults, Map<String, Member> members, Balancer balancer, Site site, Client client) {

    /** The array topology's name. */
    public static final String CAS_ARRAY = "cas-array";

    @com.fasterxml.jackson.annotation.JsonCreator
    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broken, "broken");
        findings = findings == null ? List.of() : List.copyOf(findings);
        faults = faults == null ? Topology.Faults.NONE : faults;
        members = members == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(members));
        site = site == null ? Site.DEFAULT : site;
        client = client == null ? Client.DEFAULT : client;
        if ((expected != null) != !findings.isEmpty() || expected != null && !findings.contains(expected)) {
            throw new IllegalArgumentException("scenario " + name + ": expected " + expected + ", findings "
                    + findings + " (expected: the primary finding listed among the findings, both empty when healthy)");
        }
        if (topology != null && !topology.equals(CAS_ARRAY)) {
            throw new IllegalArgumentException("scenario " + name + ": topology " + topology + " (expected: " + CAS_ARRAY + " or none)");
        }
        boolean array = CAS_ARRAY.equals(topology);
        if (!array && (!members.isEmpty() || balancer != null || client.array() != null)) {
            throw new IllegalArgumentException("scenario " + name + ": members, balancer and client.array need \"topology\": \""
                    + CAS_ARRAY + "\" (expected: an array to break)");
        }
        if (array && client.array() == null) {
            throw new IllegalArgumentException("scenario " + name + ": client.array missing (expected: balancer or members)");
        }
    }

    /** A scenario described in English only (tests build such), on the topology given. */
    public Scenario(String name, String broken, String expected, List<String> findings, String topology, Topology.Faults faults,
            Map<String, Member> members, Balancer balancer, Site site, Client client) {
        this(name, broken, null, expected, findings, topology, faults, members, balancer, site, client);
    }

    /** A scenario without an array: the single site, its faults, state and client. */
    public Scenario(String name, String broken, String expected, List<String> findings, Topology.Faults faults, Site site, Client client) {
        this(name, broken, expected, findings, null, faults, null, null, site, client);
    }

    /** What is broken in {@code language} (de: German, else English); English when the German text is missing. */
    public String broken(String language) {
        return "de".equals(language) && brokenDe != null ? brokenDe : broken;
    }

    /** Whether the scenario runs on the client access array ({@code cas-array}). */
    public boolean onArray() {
        return CAS_ARRAY.equals(topology);
    }

    /** The HAProxy client and server timeout: the scenario's, else the 3 hours docs/scale-out.md sets. */
    public Duration balancerIdleTimeout() {
        return balancer == null || balancer.idleTimeout() == null ? Duration.ofHours(3) : Durations.parse(balancer.idleTimeout());
    }

    /** Whether the site is healthy in this scenario: the analyzer should find nothing. */
    public boolean healthy() {
        return expected == null;
    }

    /** The expected primary finding id; empty when healthy. */
    public Optional<String> primary() {
        return Optional.ofNullable(expected);
    }

    /** Whether the scenario needs the nginx binary. */
    public boolean needsNginx() {
        return faults.middlebox() != null && faults.middlebox() != Middlebox.NONE;
    }

    /**
     * The running site's state, set after start and before the analyzer runs.
     *
     * @param oa {@code enabled} (the README's {@code oa enable}), {@code disabled} (never enabled), or {@code pending}
     *     (enabled in the directory while the configurator polls every 15 min without change notifications)
     * @param iisAuth IISAuthenticationMethods ({@code basic}, {@code ntlm}, {@code negotiate}); default basic, ntlm
     * @param clientAuth ExternalClientAuthenticationMethod; default ntlm
     * @param certPrincipalName the EXPR provider's CertPrincipalName; null = unset
     * @param splitBrain whether DC1 serves the split-brain copy of the public zone (default true)
     * @param endpointsDown whether EX1's RPC endpoints are stopped after start
     * @param manualEdit a hand edit of the applied {@code /rpc} configuration (rpc-vdir.json), made after the
     *     configurator applied it; the configurator reverts it at its next pass; null = none
     * @param change an Outlook Anywhere change made on every server once the site runs (after a member stopped
     *     following changes, see {@link Member#followsChanges}); null = none
     * @param mailboxServer the host ({@code ex2}) of a second Exchange server, a mailbox server without the Client
     *     Access role (RPC endpoints only, on EX1's address with .253), that the user's mailbox is moved to; null = none
     * @param hiddenFromAddressLists whether the user's mailbox is hidden from the address lists
     * @param staleRpcPassword whether the RPC servers check the user's NTLM binds against an old password while the
     *     gateway accepts the current one (their account store lags behind)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"oa", "iisAuth", "clientAuth", "certPrincipalName", "splitBrain", "endpointsDown", "manualEdit", "change",
            "mailboxServer", "hiddenFromAddressLists", "staleRpcPassword"})
    public record Site(String oa, List<String> iisAuth, String clientAuth, String certPrincipalName,
            Boolean splitBrain, boolean endpointsDown, ManualEdit manualEdit, Change change, String mailboxServer,
            boolean hiddenFromAddressLists, boolean staleRpcPassword) {
        public static final Site DEFAULT = new Site(null, null, null, null, null, false, null, null, null, false, false);

        public Site {
            oa = oa == null ? "enabled" : oa;
            if (!List.of("enabled", "disabled", "pending").contains(oa)) {
                throw new IllegalArgumentException("site oa: " + oa + " (expected: enabled, disabled or pending)");
            }
            iisAuth = iisAuth == null || iisAuth.isEmpty() ? List.of("basic", "ntlm") : List.copyOf(iisAuth);
            clientAuth = clientAuth == null ? "ntlm" : clientAuth;
            splitBrain = splitBrain == null || splitBrain;
            if (mailboxServer != null && (!mailboxServer.matches("ex[0-9]{1,2}") || mailboxServer.equals("ex1"))) {
                throw new IllegalArgumentException("site mailboxServer: " + mailboxServer + " (expected: a host name ex2..ex99)");
            }
        }
    }

    /**
     * {@code Set-OutlookAnywhere} on every server once the site runs: what changes (null or empty = unchanged).
     *
     * @param iisAuth IISAuthenticationMethods afterwards
     * @param clientAuth ExternalClientAuthenticationMethod afterwards
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Change(List<String> iisAuth, String clientAuth) {
        public Change {
            iisAuth = iisAuth == null ? List.of() : List.copyOf(iisAuth);
        }
    }

    /**
     * What differs on one member of an array.
     *
     * @param certificateNames the only DNS names its certificate carries (an old certificate); null = the topology's
     * @param followsChanges false: once Outlook Anywhere is enabled, its service host polls every 15 minutes without
     *     change notifications (Exchange's default), so a {@link Site#change} waits for its next pass; null = true
     * @param autodiscoverCacheSeconds its Autodiscover keeps directory answers this long (autodiscover.properties
     *     {@code cacheSeconds}, written before it starts); the lab asks it once before a {@link Site#change}, so that it
     *     still holds the old answer; null = the default (5 s)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(List<String> certificateNames, Boolean followsChanges, Integer autodiscoverCacheSeconds) {
        public Member {
            certificateNames = certificateNames == null ? null : List.copyOf(certificateNames);
            if (autodiscoverCacheSeconds != null && (autodiscoverCacheSeconds < 0 || autodiscoverCacheSeconds > 3600)) {
                throw new IllegalArgumentException("member autodiscoverCacheSeconds: " + autodiscoverCacheSeconds + " (expected: 0..3600)");
            }
        }

        /** Whether its service host follows directory changes as they happen (the lab's default). */
        public boolean follows() {
            return followsChanges == null || followsChanges;
        }
    }

    /**
     * The array's HAProxy.
     *
     * @param idleTimeout its client and server timeout ({@code 60s}, what appliances default to); null = 3 h
     */
    public record Balancer(String idleTimeout) {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
        public Balancer {
            if (idleTimeout != null) {
                Durations.parse(idleTimeout);
            }
        }
    }

    /**
     * A hand edit of rpc-vdir.json (an administrator in IIS Manager or the RpcProxy registry key).
     *
     * @param authentication the HTTP schemes /rpc offers afterwards ({@code basic}, {@code ntlm}, {@code negotiate});
     *     empty = unchanged
     * @param validPorts ValidPorts afterwards ({@code EX1:6002;EX1:6004}); null = unchanged
     * @param revert whether the story then runs the configurator's next pass (which reverts the edit with 3901)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ManualEdit(List<String> authentication, String validPorts, boolean revert) {
        public ManualEdit {
            authentication = authentication == null ? List.of() : List.copyOf(authentication);
        }
    }

    /**
     * The client.
     *
     * @param vantage {@code outside} (provider DNS, router) or {@code inside} (DC1's DNS, as a domain member)
     * @param profile an existing Outlook profile's settings to compare with the current answer; null = none
     * @param array how the analyzer compares an array's members: {@code balancer} ({@code --array}: six connections
     *     to the public name, which HAProxy spreads; the single-connection steps go through it too, so use it when
     *     every member answers them alike) or {@code members} (inside: {@code --member} each member's address, the
     *     single-connection steps pinned to EX1 with {@code --resolve}, so that they do not depend on the member
     *     round robin picks); null = no comparison
     * @param idleProbe {@code --idle-probe}: keep a virtual connection idle this long ({@code 65s}); null = none
     * @param encryptRpc Outlook's "Encrypt data between Microsoft Outlook and Microsoft Exchange" (default on): off,
     *     the RPC bindings after the tunnel are signed only (PKT_INTEGRITY)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Client(String vantage, StoredProfile profile, String array, String idleProbe, Boolean encryptRpc) {
        public static final Client DEFAULT = new Client(null, null, null, null, null);

        public Client {
            vantage = vantage == null ? "outside" : vantage;
            if (!vantage.equals("outside") && !vantage.equals("inside")) {
                throw new IllegalArgumentException("client vantage: " + vantage + " (expected: outside or inside)");
            }
            encryptRpc = encryptRpc == null || encryptRpc;
            if (array != null && !array.equals("balancer") && !array.equals("members")) {
                throw new IllegalArgumentException("client array: " + array + " (expected: balancer or members)");
            }
            if ("members".equals(array) && !vantage.equals("inside")) {
                throw new IllegalArgumentException("client array: members needs vantage inside (expected: the members' own addresses"
                        + " are reached from inside)");
            }
            if (idleProbe != null) {
                Durations.parse(idleProbe);
            }
        }

        /** The idle probe's duration, when one is asked for. */
        public Optional<Duration> idle() {
            return Optional.ofNullable(idleProbe).map(Durations::parse);
        }
    }

    /**
     * What an old Outlook profile still holds (PR_ROH_* properties).
     *
     * @param exchServer EXCH server
     * @param proxyServer the RPC proxy (EXPR Server)
     * @param principal the msstd: principal
     * @param authScheme basic, ntlm or negotiate
     * @param ageHours how long ago it was created and last refreshed
     * @param legacy whether the client never updates existing profiles (old Outlook)
     */
    public record StoredProfile(String exchServer, String proxyServer, String principal, String authScheme, int ageHours,
            boolean legacy) {
    }
}
