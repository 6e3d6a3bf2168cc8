package dev.anywhere.analyzer.report;

/** Where the analyzer ran from: inside the site's network or outside, as an external client. */
public enum Vantage {
    INSIDE,
    OUTSIDE,
    UNSPECIFIED
}
