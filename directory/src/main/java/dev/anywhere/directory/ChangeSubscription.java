package dev.anywhere.directory;

/** A running change feed from the directory; closing it stops the notifications. */
public interface ChangeSubscription extends AutoCloseable {

    /** Which mechanism is in use, as the root DSE offered it. */
    ChangeMechanism mechanism();

    @Override
    void close();
}
