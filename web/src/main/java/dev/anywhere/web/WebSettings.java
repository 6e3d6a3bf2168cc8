package dev.anywhere.web;

import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code anywhere serve} runs.
 *
 * @param listen where the page is served; loopback unless {@code tls} and {@code login} are both given
 * @param tls the page's certificate and key (PEM); empty for plain HTTP, which only loopback may use
 * @param login the one account that may use the page; required off loopback
 * @param databaseUrl the JDBC URL of the run history ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://…})
 * @param defaults what every run gets besides the form (DNS server, trust anchors, ports), e.g. from a running lab
 * @param maxRuns runs at the same time, over all clients
 * @param maxRunsPerClient runs at the same time from one client address
 * @param lab lab mode: the server hosts the lab, and the page lists its scenarios and runs them
 */
public record WebSettings(InetSocketAddress listen, Optional<Tls> tls, Optional<Login> login, String databaseUrl, RunDefaults defaults,
        int maxRuns, int maxRunsPerClient, Optional<LabMode> lab) {

    /**
     * Lab mode: {@code anywhere serve} hosts the lab itself (as {@code lab up} does, with {@code lab.json} in
     * {@code dataDir}), runs go to it, and the page runs the lab's scenarios. A scenario needs the lab's addresses
     * (EX1's endpoints keep their ports whatever the port policy), so while one runs the healthy site is stopped and
     * other runs are refused; it is back when the scenario ends.
     *
     * @param dataDir the lab's data directory
     * @param ports the lab's port policy (real ports need root)
     */
    public record LabMode(Path dataDir, dev.anywhere.lab.topology.PortPolicy ports) {
        public LabMode {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(ports, "ports");
        }
    }

    /** Without lab mode. */
    public WebSettings(InetSocketAddress listen, Optional<Tls> tls, Optional<Login> login, String databaseUrl, RunDefaults defaults,
            int maxRuns, int maxRunsPerClient) {
        this(listen, tls, login, databaseUrl, defaults, maxRuns, maxRunsPerClient, Optional.empty());
    }

    /** The page's own certificate chain and private key, PEM files. */
    public record Tls(Path certificate, Path key) {
    }

    /** The account for the page itself (HTTP Basic, only ever over TLS). The password is never printed. */
    public record Login(String user, String password) {
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty() || user.contains(":") || password.isEmpty()) {
                throw new InvalidValue("web.login", "", "login: a user without ':' and a non-empty password are required");
            }
        }

        @Override
        public String toString() {
            return "Login[user=" + user + ", password=***]";
        }
    }

    public WebSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(lab, "lab");
        if (listen.isUnresolved()) {
            throw new InvalidValue("web.listen-unresolved", listen.getHostString(), "listen: " + listen.getHostString() + " does not resolve");
        }
        // Off loopback the page carries mailbox passwords across a network: it must be encrypted and it must not be
        // open to whoever reaches the port.
        if (!listen.getAddress().isLoopbackAddress() && (tls.isEmpty() || login.isEmpty())) {
            throw new InvalidValue("web.listen-not-loopback", listen.getAddress().getHostAddress(), "listen: "
                    + listen.getAddress().getHostAddress() + " is not a loopback address; "
                    + "serving beyond this machine needs --cert/--key (TLS) and --login-user/--login-password-file");
        }
        if (maxRuns < 1 || maxRunsPerClient < 1 || maxRunsPerClient > maxRuns) {
            // the value is both numbers; the command line names each from its own options
            throw new InvalidValue("web.limits", maxRuns + "/" + maxRunsPerClient, "limits: " + maxRuns + " runs, " + maxRunsPerClient + " per client (expected: at least 1, "
                    + "and no more per client than in all)");
        }
    }

    /** Loopback on {@code port}, plain HTTP, no login, SQLite at {@code database}: the defaults of {@code anywhere serve}. */
    public static WebSettings loopback(int port, Path database, RunDefaults defaults) {
        return new WebSettings(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), Optional.empty(), Optional.empty(),
                "jdbc:sqlite:" + database, defaults, 4, 2);
    }

    public WebSettings withLimits(int runs, int perClient) {
        return new WebSettings(listen, tls, login, databaseUrl, defaults, runs, perClient, lab);
    }

    public WebSettings withLab(LabMode mode) {
        return new WebSettings(listen, tls, login, databaseUrl, defaults, maxRuns, maxRunsPerClient, Optional.of(mode));
    }

    public WebSettings withDefaults(RunDefaults d) {
        return new WebSettings(listen, tls, login, databaseUrl, d, maxRuns, maxRunsPerClient, lab);
    }
}
