package dev.anywhere.autodiscover.pox;

/**
 * Caps that bound the work a POX document can cause. The byte cap is checked before the parser sees a byte; depth and
 * element count are checked on every start tag while parsing.
 *
 * <p>Defaults: 64 KiB (a real Exchange 2016 Outlook response is 4–8 KiB, a request under 1 KiB), depth 16 (the deepest
 * known path, {@code Autodiscover/Response/Account/Protocol/External/Protocol/ASUrl}, is 7), 2048 elements (a full
 * response has about 150).
 *
 * @param maxBytes largest accepted document, in bytes
 * @param maxDepth deepest accepted element nesting (the root is depth 1)
 * @param maxElements most start tags accepted in one document
 */
public record PoxLimits(int maxBytes, int maxDepth, int maxElements) {

    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 16;
    public static final int DEFAULT_MAX_ELEMENTS = 2048;

    public static final PoxLimits DEFAULT = new PoxLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS);

    public PoxLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        if (maxDepth < 2) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: >= 2)");
        }
        if (maxElements < 2) {
            throw new IllegalArgumentException("maxElements: " + maxElements + " (expected: >= 2)");
        }
    }
}
