package dev.anywhere.server.configurator;

import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The items that differ between the applied and the desired /rpc configuration, one event each with old and new
 * value, in the order Exchange's servicelet works through them.
 */
final class ConfigDiff {

    /** The registry value name Exchange writes ValidPorts to; kept because it is what administrators search for. */
    static final String VALID_PORTS_VALUE = "ValidPorts_AutoConfig_Exchange";

    private ConfigDiff() {
    }

    /** The changed items; {@code applied} is the disabled configuration when nothing was applied yet. */
    static List<Event> between(RpcVdirConfig applied, RpcVdirConfig desired, Instant now) {
        List<Event> events = new ArrayList<>();
        String vdir = desired.server() + "/rpc";
        if (applied.enabled() != desired.enabled()) {
            events.add(Event.change(now, EventId.UPDATED_RPC_VIRTUAL_DIRECTORY, "VirtualDirectory",
                    state(applied.enabled()), state(desired.enabled()),
                    (desired.enabled() ? "Created" : "Removed") + " the virtual directory " + vdir
                            + " (Outlook Anywhere " + (desired.enabled() ? "enabled" : "disabled") + " in the directory).").with("server", desired.server()));
        }
        String oldPorts = applied.validPorts().toString();
        String newPorts = desired.validPorts().toString();
        if (!oldPorts.equals(newPorts)) {
            EventId id = oldPorts.isEmpty() ? EventId.ENABLED_VALID_PORTS
                    : newPorts.isEmpty() ? EventId.DISABLED_VALID_PORTS : EventId.UPDATED_VALID_PORTS;
            events.add(Event.change(now, id, VALID_PORTS_VALUE, oldPorts, newPorts,
                    "Updated RpcProxy " + VALID_PORTS_VALUE + " from '" + oldPorts + "' to '" + newPorts + "'."));
        }
        // A disabled /rpc has no settings worth an event of their own: its removal says it all.
        if (desired.enabled()) {
            if (!applied.authentication().equals(desired.authentication())) {
                events.add(Event.change(now, EventId.UPDATED_AUTHENTICATION_SETTINGS, "Authentication",
                        schemes(applied), schemes(desired),
                        "Updated the authentication methods of " + vdir + " from '" + schemes(applied) + "' to '"
                                + schemes(desired) + "' (IISAuthenticationMethods).").with("server", desired.server()));
            }
            if (applied.requireSsl() != desired.requireSsl()) {
                events.add(Event.change(now, EventId.UPDATED_SSL_REQUIREMENT, "RequireSsl",
                        sslFlags(applied.requireSsl()), sslFlags(desired.requireSsl()),
                        "Updated the TLS requirement of " + vdir + " from sslFlags '" + sslFlags(applied.requireSsl())
                                + "' to '" + sslFlags(desired.requireSsl()) + "' (SSLOffloading is "
                                + (desired.requireSsl() ? "off" : "on") + ").").with("server", desired.server()));
            }
        }
        return events;
    }

    /** Names the items a hand edit changed, for the drift event. */
    static List<String> changedItems(RpcVdirConfig a, RpcVdirConfig b) {
        List<String> items = new ArrayList<>();
        if (a.enabled() != b.enabled()) {
            items.add("enabled");
        }
        if (!a.authentication().equals(b.authentication())) {
            items.add("authentication");
        }
        if (a.requireSsl() != b.requireSsl()) {
            items.add("requireSsl");
        }
        if (!a.validPorts().equals(b.validPorts())) {
            items.add("validPorts");
        }
        if (!a.server().equalsIgnoreCase(b.server())) {
            items.add("server");
        }
        return items;
    }

    /**
     * What a hand edit changed, in words: each changed item with the edited value and the one that stays in force;
     * for ValidPorts the entries added and removed, since an added entry is what widens the proxy.
     */
    static String describeEdit(RpcVdirConfig edited, RpcVdirConfig inForce) {
        List<String> parts = new ArrayList<>();
        for (String item : changedItems(edited, inForce)) {
            parts.add(switch (item) {
                case "enabled" -> "enabled " + edited.enabled() + " instead of " + inForce.enabled();
                case "authentication" -> "authentication '" + schemes(edited) + "' instead of '" + schemes(inForce) + "'";
                case "requireSsl" -> "requireSsl " + edited.requireSsl() + " instead of " + inForce.requireSsl();
                case "validPorts" -> "validPorts" + entries(" added ", edited, inForce) + entries(" removed ", inForce, edited);
                default -> "server '" + edited.server() + "' instead of '" + inForce.server() + "'";
            });
        }
        return parts.isEmpty() ? "no setting differs, only the digest" : String.join("; ", parts);
    }

    /** The ValidPorts entries of {@code a} that {@code b} lacks, after {@code label}; empty when there are none. */
    private static String entries(String label, RpcVdirConfig a, RpcVdirConfig b) {
        List<String> only = a.validPorts().entries().stream().filter(e -> !b.validPorts().entries().contains(e))
                .map(Object::toString).toList();
        return only.isEmpty() ? "" : label + String.join(";", only);
    }

    static String schemes(RpcVdirConfig c) {
        return c.authentication().isEmpty() ? "none"
                : c.authenticationInOrder().stream().map(HttpAuthScheme::token).collect(Collectors.joining(", "));
    }

    static String sslFlags(boolean requireSsl) {
        return requireSsl ? "Ssl,Ssl128" : "None";
    }

    private static String state(boolean enabled) {
        return enabled ? "enabled" : "disabled";
    }
}
