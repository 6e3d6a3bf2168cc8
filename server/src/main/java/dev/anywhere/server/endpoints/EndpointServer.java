package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What every connection of one {@link RpcEndpoints} shares: options, interfaces, the cookie table, statistics. */
final class EndpointServer {

    /** Server-wide counters for MGMT inq_stats ([C706] rpc_c_stats_calls_in … pkts_out). */
    static final class Stats {
        final AtomicLong callsIn = new AtomicLong();
        final AtomicLong callsOut = new AtomicLong();
        final AtomicLong pktsIn = new AtomicLong();
        final AtomicLong pktsOut = new AtomicLong();
        /** Calls to an interface refusing anonymous callers from an anonymous association (FAULT 5). */
        final AtomicLong anonymousRefused = new AtomicLong();
        /** Legs moved to the event loop of their virtual connection's other leg (LegHandler). */
        final AtomicLong legMoves = new AtomicLong();
    }

    /** EPM and MGMT first, then the caller's interfaces, looked up live. */
    final class Interfaces {
        private final InterfaceRegistry builtIn = new InterfaceRegistry();

        Optional<RpcInterface> find(SyntaxId abstractSyntax) {
            Optional<RpcInterface> i = builtIn.find(abstractSyntax);
            return i.isPresent() ? i : options.extra().find(abstractSyntax);
        }

        List<RpcInterface> all() {
            List<RpcInterface> all = new ArrayList<>(builtIn.all());
            all.addAll(options.extra().all());
            return List.copyOf(all);
        }
    }

    private final RpcEndpoints.Options options;
    private final Interfaces interfaces = new Interfaces();
    private final VirtualConnectionTable table;
    private final ChannelGroup connections = new DefaultChannelGroup("rpc-endpoints", GlobalEventExecutor.INSTANCE);
    private final Stats stats = new Stats();
    private final AtomicInteger assocGroups = new AtomicInteger(0x1000);
    private final Supplier<List<Integer>> httpPorts;
    private final Supplier<OptionalInt> tcpPort;
    private final Optional<DceAuthenticator> authenticator;
    /**
     * Whether a virtual connection's second leg moves to its first leg's event loop (LegHandler); on by default,
     * {@code -Danywhere.endpoints.legAffinity=false} keeps every leg where it was accepted.
     */
    private final boolean legAffinity = !"false".equalsIgnoreCase(System.getProperty("anywhere.endpoints.legAffinity"));

    EndpointServer(RpcEndpoints.Options options, Supplier<List<Integer>> httpPorts, Supplier<OptionalInt> tcpPort) {
        this.options = options;
        this.httpPorts = httpPorts;
        this.tcpPort = tcpPort;
        this.table = new VirtualConnectionTable(this);
        this.authenticator = options.authentication().map(DceAuthenticator::new);
        interfaces.builtIn.register(new RpcInterface(Epm.ID, "Endpoint Mapper", 7, Optional.of(593), new Epm(this)));
        interfaces.builtIn.register(new RpcInterface(Mgmt.ID, "Management", 5, new Mgmt(this)));
    }

    void initChannel(SocketChannel ch, boolean http) {
        connections.add(ch);
        ch.pipeline().addLast("rpch-frames", new RpchFrameDecoder());
        ch.pipeline().addLast("rpc-leg", new LegHandler(this, http));
    }

    boolean legAffinity() {
        return legAffinity;
    }

    RpcEndpoints.Options options() {
        return options;
    }

    RpcEndpoints.Limits limits() {
        return options.limits();
    }

    Interfaces interfaces() {
        return interfaces;
    }

    VirtualConnectionTable table() {
        return table;
    }

    ChannelGroup connections() {
        return connections;
    }

    /** Present when NTLM binds are authenticated. */
    Optional<DceAuthenticator> authenticator() {
        return authenticator;
    }

    Stats stats() {
        return stats;
    }

    List<Integer> httpPorts() {
        return httpPorts.get();
    }

    OptionalInt tcpPort() {
        return tcpPort.get();
    }

    long nextAssocGroupId() {
        return assocGroups.incrementAndGet() & 0xffff_ffffL;
    }

    void protocolError(InetSocketAddress remote, String message) {
        try {
            options.errors().protocolError(remote, message);
        } catch (RuntimeException e) {
            // A listener's failure must not change how the connection is handled.
        }
    }
}
