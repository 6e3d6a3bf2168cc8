package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.CheckStatus;

/** Status marks shared by the console and text writers. */
final class Symbols {

    private Symbols() {
    }

    static String of(CheckStatus s) {
        return switch (s) {
            case PASSED -> "[ ok ]";
            case WARNING -> "[warn]";
            case FAILED -> "[FAIL]";
            case SKIPPED -> "[skip]";
        };
    }
}
