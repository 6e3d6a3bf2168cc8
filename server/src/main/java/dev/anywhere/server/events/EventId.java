package dev.anywhere.server.events;

import java.util.Optional;

/**
 * The configurator's event catalogue. Numbers and symbolic names are Exchange's own (source "MSExchange RPC Over
 * HTTP Autoconfig") so that administrators can grep for what they already know; IDs 3900 and up are ours, for what
 * Exchange does silently. docs/events.md lists them all.
 */
public enum EventId {
    /** A pass failed in a way that may go away (directory unreachable, timeout); retried after 15 s. */
    TRANSIENT_EXCEPTION(2001, "TransientException", EventLevel.ERROR),
    /** A pass failed in a way retrying will not fix; logged at most once per throttle period. */
    PERMANENT_EXCEPTION(2002, "PermanentException", EventLevel.ERROR),
    /** Outlook Anywhere is enabled but this server has no RPC endpoints role for the proxy to reach. */
    PROXY_NOT_INSTALLED(2003, "ProxyNotInstalled", EventLevel.ERROR),
    /** Outlook Anywhere is enabled but the local RPC proxy switch is off (RpcProxy\Enabled = 0). */
    PROXY_NOT_ENABLED(2008, "ProxyNotEnabled", EventLevel.ERROR),
    /** ValidPorts changed: old value, new value, value name. */
    UPDATED_VALID_PORTS(3000, "UpdatedValidPorts", EventLevel.INFORMATION),
    /** ValidPorts removed because Outlook Anywhere was disabled. */
    DISABLED_VALID_PORTS(3001, "DisabledValidPorts", EventLevel.INFORMATION),
    /** ValidPorts created because Outlook Anywhere was enabled. */
    ENABLED_VALID_PORTS(3006, "EnabledValidPorts", EventLevel.INFORMATION),
    /** The /rpc virtual directory was created, enabled, disabled or removed. */
    UPDATED_RPC_VIRTUAL_DIRECTORY(3025, "UpdatedRpcVirtualDirectory", EventLevel.INFORMATION),
    /** The authentication methods of /rpc were set from IISAuthenticationMethods. */
    UPDATED_AUTHENTICATION_SETTINGS(3036, "UpdatedAuthenticationSettings", EventLevel.INFORMATION),
    /** First successful pass since the service host started. */
    SUCCESSFULLY_CHECKED(3037, "RpcHttpServiceletSuccessfullyCheckedForUpdatedSettings", EventLevel.INFORMATION),
    /** Ours: the TLS requirement of /rpc changed (IIS sslFlags), following SSLOffloading. Exchange is silent. */
    UPDATED_SSL_REQUIREMENT(3900, "UpdatedSslRequirement", EventLevel.INFORMATION),
    /** Ours: the applied configuration had been edited by hand; the edit was overwritten from the directory. */
    REVERTED_MANUAL_CHANGE(3901, "RevertedManualChange", EventLevel.WARNING),
    /** Ours: how directory changes are followed (content sync, persistent search, changelog, polling only). */
    CHANGE_FOLLOWING_STARTED(3902, "ChangeFollowingStarted", EventLevel.INFORMATION),
    /** Ours: periodic work is off because the poll interval is 0 (Exchange's PeriodicPollingMinutes = 0). */
    PERIODIC_WORK_DISABLED(3903, "PeriodicWorkDisabled", EventLevel.WARNING),
    /** Ours: the directory answers again after transient failures; the pass that follows applies what changed. */
    DIRECTORY_RECOVERED(3904, "DirectoryRecovered", EventLevel.INFORMATION),
    /** Ours: the directory client moved to another replica (the one in use failed, or a nearer one caught up). */
    DIRECTORY_REPLICA_SWITCHED(3905, "DirectoryReplicaSwitched", EventLevel.WARNING),
    /** Ours: drift correction was switched off; hand edits of the applied configuration take effect until the next pass. */
    DRIFT_CORRECTION_DISABLED(3910, "DriftCorrectionDisabled", EventLevel.WARNING),
    /** Ours, from the gateway: a logon was refused (user, source address, scheme; never a password or hash). */
    LOGON_FAILED(3920, "LogonFailed", EventLevel.WARNING),
    /** Ours, from the gateway: logons cannot reach the directory (no answer in time, or unreachable). */
    LOGON_DIRECTORY_UNREACHABLE(3921, "LogonDirectoryUnreachable", EventLevel.ERROR),
    /** Ours, from the gateway: the directory answers logons again. */
    LOGON_DIRECTORY_RECOVERED(3922, "LogonDirectoryRecovered", EventLevel.INFORMATION);

    /** The event source, as Exchange registers it. */
    public static final String SOURCE = "MSExchange RPC Over HTTP Autoconfig";

    private final int id;
    private final String symbolicName;
    private final EventLevel level;

    EventId(int id, String symbolicName, EventLevel level) {
        this.id = id;
        this.symbolicName = symbolicName;
        this.level = level;
    }

    public int id() {
        return id;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public EventLevel level() {
        return level;
    }

    /** Whether Exchange has this ID too (as opposed to one of ours). */
    public boolean exchangeCompatible() {
        return id < 3900;
    }

    public static Optional<EventId> byId(int id) {
        for (EventId e : values()) {
            if (e.id == id) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return symbolicName + "(" + id + ")";
    }
}
