package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the router's rule for a public port behaves. */
public enum RuleVariant {
    /** Relays to the rule's target (DNAT). */
    FORWARD("forward"),
    /** No rule: connections are refused. */
    ABSENT("absent"),
    /** Relays to another host (default: DC1 at the same port, where nothing listens). */
    WRONG_HOST("wrong-host"),
    /** The router's own login page answers. */
    ROUTER_PAGE("router-page");

    private final String id;

    RuleVariant(String id) {
        this.id = id;
    }

    /** The name in topology files and scenarios. */
    @JsonValue
    public String id() {
        return id;
    }
}
