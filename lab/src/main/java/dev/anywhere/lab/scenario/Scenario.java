package dev.anywhere.lab.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.Topology;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One trap of the Outlook Anywhere story as data: what to break in the topology (its {@link Topology.Faults}), what
 * state to put the running site in, how the client looks at it, and what the analyzer should say. Read from
 * {@code scenarios.json} by {@link Scenarios}; nothing in the analyzer knows scenarios exist.
 *
 * @param name the name {@code anywhere lab --scenario} takes ({@code dns-missing-oa})
 * @param broken what is broken, in one sentence
 * @param expected the expected primary finding id (first error in tree order, else first warning); null = healthy
 * @param findings every finding id the analyzer should report, no more and no fewer
 * @param faults faults applied to the topology before anything starts
 * @param site the state of the running site before the analyzer looks
 * @param client where and with what the client looks
 */
@JsonPropertyOrder({"name", "broken", "expected", "findings", "faults", "site", "client"})
public record Scenario(String name, String broken, String expected, List<String> findings, Topology.Faults faults,
        Site site, Client client) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broken, "broken");
        findings = findings == null ? List.of() : List.copyOf(findings);
        faults = faults == null ? Topology.Faults.NONE : faults;
        site = site == null ? Site.DEFAULT : site;
        client = client == null ? Client.DEFAULT : client;
        if ((expected != null) != !findings.isEmpty() || expected != null && !findings.contains(expected)) {
            throw new IllegalArgumentException("scenario " + name + ": expected " + expected + ", findings "
                    + findings + " (expected: the primary finding listed among the findings, both empty when healthy)");
        }
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
     * @param mailboxServer the host ({@code ex2}) of a second Exchange server, a mailbox server without the Client
     *     Access role (RPC endpoints only, on EX1's address with .253), that the user's mailbox is moved to; null = none
     * @param hiddenFromAddressLists whether the user's mailbox is hidden from the address lists
     * @param staleRpcPassword whether the RPC servers check the user's NTLM binds against an old password while the
     *     gateway accepts the current one (their account store lags behind)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"oa", "iisAuth", "clientAuth", "certPrincipalName", "splitBrain", "endpointsDown", "manualEdit",
            "mailboxServer", "hiddenFromAddressLists", "staleRpcPassword"})
    public record Site(String oa, List<String> iisAuth, String clientAuth, String certPrincipalName,
            Boolean splitBrain, boolean endpointsDown, ManualEdit manualEdit, String mailboxServer,
            boolean hiddenFromAddressLists, boolean staleRpcPassword) {
        public static final Site DEFAULT = new Site(null, null, null, null, null, false, null, null, false, false);

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
     * @param encryptRpc Outlook's "Encrypt data between Microsoft Outlook and Microsoft Exchange" (default on): off,
     *     the RPC bindings after the tunnel are signed only (PKT_INTEGRITY)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Client(String vantage, StoredProfile profile, Boolean encryptRpc) {
        public static final Client DEFAULT = new Client(null, null, null);

        public Client {
            vantage = vantage == null ? "outside" : vantage;
            if (!vantage.equals("outside") && !vantage.equals("inside")) {
                throw new IllegalArgumentException("client vantage: " + vantage + " (expected: outside or inside)");
            }
            encryptRpc = encryptRpc == null || encryptRpc;
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
