package dev.anywhere.analyzer.net;

/** A host name and port as a client addresses them (the name goes into SNI and Host). */
public record Endpoint(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
