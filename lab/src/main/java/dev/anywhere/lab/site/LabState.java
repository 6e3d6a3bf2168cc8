package dev.anywhere.lab.site;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.RecordType;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.lab.topology.ZoneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lab.json}: what a client needs to use a running lab, written by {@code lab up} once every server answers and
 * removed by {@code lab down}. Passwords are not in it (they are in {@code passwords.json}, 0600).
 *
 * @param site the topology's name
 * @param pid the process running the site
 * @param startedAt when it finished starting
 * @param dataDir the data directory
 * @param portsShifted whether ports below 1024 are shifted
 * @param portOffset the shift
 * @param portMap well-known port to the port used ({@code "443": 10443}), only the shifted ones
 * @param services every listener: {@code host/service} to {@code address:port}
 * @param router the router's rules as running
 * @param middlebox {@code none}, {@code nginx-stock} or {@code nginx-rpc}
 * @param caBundle the lab CA's trust bundle (PEM), for {@code --trust}
 * @param dnsServer the provider DNS as {@code address:port}, for {@code --dns-server}
 * @param resolve curl-style {@code HOST:PORT:ADDRESS} entries for the public names
 * @param users the lab users
 * @param passwordsFile where the users' passwords are kept
 * @param admin EX1's admin listener ({@code /health}, {@code /metrics}) as a URL; empty when none runs
 * @param members a client access array's members: host name to its admin listener's URL; empty for the single site
 * @param balancer the array's load balancer (HAProxy) as {@code address:port}; empty for the single site
 */
@JsonPropertyOrder({"site", "pid", "startedAt", "dataDir", "portsShifted", "portOffset", "portMap", "services", "router",
        "middlebox", "caBundle", "dnsServer", "resolve", "users", "passwordsFile", "admin", "members", "balancer"})
public record LabState(String site, long pid, String startedAt, String dataDir, boolean portsShifted, int portOffset,
        Map<String, Integer> portMap, Map<String, String> services, List<String> router, String middlebox, String caBundle,
        String dnsServer, List<String> resolve, List<String> users, String passwordsFile, String admin,
        Map<String, String> members, String balancer) {

    public LabState {
        members = members == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
        balancer = balancer == null ? "" : balancer;
    }

    public static final String FILE_NAME = "lab.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The state of a running whole site; {@code admin} is where its admin listener answers, if one runs. */
    public static LabState of(LabSite site, long pid, Optional<java.net.InetSocketAddress> admin) {
        LabSite.Plan plan = site.plan().orElseThrow(() -> new IllegalStateException("lab state: not a whole site"));
        Topology t = plan.topology();
        PortMap ports = plan.ports();
        Map<String, Integer> portMap = new LinkedHashMap<>();
        Map<String, String> services = new LinkedHashMap<>();
        for (Topology.Host h : t.hosts()) {
            if (h.name().equals("middlebox") && t.middlebox() == Middlebox.NONE) {
                continue;
            }
            h.ports().forEach((service, wellKnown) -> {
                services.put(h.name() + "/" + service.id(), h.address() + ":" + ports.port(wellKnown));
                if (ports.port(wellKnown) != wellKnown) {
                    portMap.put(String.valueOf(wellKnown), ports.port(wellKnown));
                }
            });
        }
        String routerAddress = t.host("router").orElseThrow().address();
        for (var rule : site.router().orElseThrow().rules()) {
            int wellKnown = ports.shifted() && rule.publicPort() - ports.offset() > 0 && rule.publicPort() - ports.offset() < 1024
                    ? rule.publicPort() - ports.offset() : rule.publicPort();
            services.put("router/tcp" + wellKnown, routerAddress + ":" + rule.publicPort());
        }
        List<String> resolve = new ArrayList<>();
        for (Topology.Zone z : t.zones()) {
            if (z.server() != ZoneServer.PROVIDER_DNS) {
                continue;
            }
            for (Topology.DnsRecord r : z.records()) {
                if (r.type() == RecordType.A) {
                    String name = r.name().equals("@") ? z.origin() : r.name() + "." + z.origin();
                    resolve.add(name + ":" + ports.port(443) + ":" + t.addressOf(r.value()));
                }
            }
        }
        admin.ifPresent(a -> services.put("ex1/admin", a.getAddress().getHostAddress() + ":" + a.getPort()));
        Map<String, String> members = new LinkedHashMap<>();
        if (t.array() != null) {
            for (LabSite.Member m : site.members()) {
                m.admin().ifPresent(a -> members.put(m.host(), url(a.address())));
            }
        }
        Optional<java.net.InetSocketAddress> ex1Admin = admin.or(() -> site.members().get(0).admin().map(a -> a.address()));
        var dns = site.providerDns().orElseThrow().address();
        return new LabState(t.name(), pid, Instant.now().toString(), plan.dataDir().toAbsolutePath().toString(), ports.shifted(),
                ports.offset(), portMap, services, site.router().orElseThrow().rules().stream().map(Object::toString).toList(),
                t.middlebox().id(), site.trustBundle().toAbsolutePath().toString(),
                dns.getAddress().getHostAddress() + ":" + dns.getPort(), resolve,
                plan.passwords().byUser().keySet().stream().toList(),
                plan.dataDir().resolve(dev.anywhere.lab.topology.Passwords.FILE_NAME).toAbsolutePath().toString(),
                ex1Admin.map(LabState::url).orElse(""), members,
                site.balancer().map(b -> b.address().getAddress().getHostAddress() + ":" + b.address().getPort()).orElse(""));
    }

    private static String url(java.net.InetSocketAddress a) {
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Writes {@code lab.json} into {@code dataDir} atomically. */
    public Path write(Path dataDir) {
        try {
            return dev.anywhere.server.config.AtomicFile.write(dataDir.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("lab state " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code lab.json} from {@code dataDir}, if there. */
    public static Optional<LabState> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), LabState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("lab state " + file + ": " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
