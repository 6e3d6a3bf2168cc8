package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/** What sits between the router and EX1's HTTPS port: nothing, or nginx with one of its two configurations. */
public enum Middlebox {
    NONE("none"),
    /** nginx as its documentation configures a reverse proxy: it buffers, so the 1 GiB IN channel gets 413. */
    NGINX_STOCK("nginx-stock"),
    /** nginx configured for RPC over HTTP: IN and OUT stream, the tunnel passes. */
    NGINX_RPC("nginx-rpc");

    private final String id;

    Middlebox(String id) {
        this.id = id;
    }

    /** The name in topology files and scenarios. */
    @JsonValue
    public String id() {
        return id;
    }
}
