package dev.anywhere.lab.topology;

/** The DNS record types a topology's zones hold besides the generated SOA and NS (the name is the JSON form). */
public enum RecordType {
    /** A host name of the topology or a 127.x literal. */
    A,
    /** A domain name. */
    CNAME,
    /** {@code "priority weight port target"}. */
    SRV
}
