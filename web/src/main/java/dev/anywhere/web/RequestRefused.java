package dev.anywhere.web;

/** A request the server will not carry out: the HTTP status and the text for the page, already in its language. */
final class RequestRefused extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    RequestRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
