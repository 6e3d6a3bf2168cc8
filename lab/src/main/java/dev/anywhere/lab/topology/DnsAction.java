package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a DNS fault does to a name. */
public enum DnsAction {
    /** Every record of the name is removed. */
    REMOVE("remove"),
    /** The name gets one A record pointing at the fault's value. */
    ADDRESS("address");

    private final String id;

    DnsAction(String id) {
        this.id = id;
    }

    /** The name in topology files and scenarios. */
    @JsonValue
    public String id() {
        return id;
    }
}
