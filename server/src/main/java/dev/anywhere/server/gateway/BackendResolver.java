package dev.anywhere.server.gateway;

import io.netty.resolver.DefaultNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the server-name of {@code ?server:port} into the address of an RPC endpoint: static overrides first (EX1,
 * ex1.frankysweb.local → the endpoints' address, as the hosts file of an Exchange server would), then IP literals,
 * then system DNS. Names are compared case-insensitively; ValidPorts was already checked on the name as sent.
 */
public final class BackendResolver {

    private final Map<String, InetAddress> overrides;
    private final boolean systemDns;
    private final Map<Integer, Integer> ports;

    private BackendResolver(Map<String, InetAddress> overrides, boolean systemDns, Map<Integer, Integer> ports) {
        this.overrides = Map.copyOf(overrides);
        this.systemDns = systemDns;
        this.ports = Map.copyOf(ports);
    }

    private BackendResolver(Map<String, InetAddress> overrides, boolean systemDns) {
        this(overrides, systemDns, Map.of());
    }

    /**
     * This resolver with endpoint ports translated (requested → actual), as a port forward in front of the endpoints
     * would: the lab uses it when it may not bind ports below 1024 (593 → 10593). ValidPorts is still checked on the
     * port the client asked for.
     */
    public BackendResolver withPortTranslation(Map<Integer, Integer> translation) {
        return new BackendResolver(overrides, systemDns, translation);
    }

    /** The port to connect to for a requested endpoint port. */
    public int port(int requested) {
        return ports.getOrDefault(requested, requested);
    }

    /** Only IP literals and system DNS. */
    public static BackendResolver system() {
        return new BackendResolver(Map.of(), true);
    }

    /** {@code overrides} (name → address) first, then IP literals and system DNS. */
    public static BackendResolver of(Map<String, InetAddress> overrides) {
        Map<String, InetAddress> m = new LinkedHashMap<>();
        overrides.forEach((k, v) -> m.put(normalize(k), v));
        return new BackendResolver(m, true);
    }

    /** This resolver with {@code names} all mapped to {@code address}. */
    public BackendResolver withOverride(InetAddress address, String... names) {
        Map<String, InetAddress> m = new LinkedHashMap<>(overrides);
        for (String n : names) {
            m.put(normalize(n), address);
        }
        return new BackendResolver(m, systemDns, ports);
    }

    /** This resolver without the system DNS fallback (unknown names fail). */
    public BackendResolver withoutSystemDns() {
        return new BackendResolver(overrides, false, ports);
    }

    public Map<String, InetAddress> overrides() {
        return overrides;
    }

    /**
     * Resolves {@code name}; the future completes on {@code executor} (the channel's event loop). System DNS runs
     * on Netty's global executor, never on the event loop.
     */
    public Future<InetAddress> resolve(String name, EventExecutor executor) {
        Promise<InetAddress> promise = executor.newPromise();
        String key = normalize(name);
        InetAddress fixed = overrides.get(key);
        if (fixed != null) {
            return promise.setSuccess(fixed);
        }
        String literal = key.startsWith("[") && key.endsWith("]") ? key.substring(1, key.length() - 1) : key;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes != null) {
            try {
                return promise.setSuccess(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                return promise.setFailure(e);
            }
        }
        if (!systemDns) {
            return promise.setFailure(new UnknownHostException(name + ": not in the backend overrides"));
        }
        new DefaultNameResolver(GlobalEventExecutor.INSTANCE).resolve(key).addListener(f -> executor.execute(() -> {
            if (f.isSuccess()) {
                promise.trySuccess((InetAddress) f.getNow());
            } else {
                promise.tryFailure(f.cause());
            }
        }));
        return promise;
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public String toString() {
        return "BackendResolver" + overrides + (systemDns ? " + system DNS" : "") + (ports.isEmpty() ? "" : " ports " + ports);
    }
}
