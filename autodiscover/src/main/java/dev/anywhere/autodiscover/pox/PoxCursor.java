package dev.anywhere.autodiscover.pox;

import dev.anywhere.autodiscover.pox.PoxParseException.Reason;
import java.io.ByteArrayInputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The one hardened StAX reader every POX document goes through: DTDs, entity references and external resources are
 * refused, depth and element count are checked on every start tag. Callers walk the tree with {@link #nextChild()},
 * {@link #text()} and {@link #skip()}.
 */
final class PoxCursor implements AutoCloseable {

    /** One factory per thread: the JDK's factory is not documented as safe for concurrent use. */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(PoxCursor::hardenedFactory);

    private final XMLStreamReader reader;
    private final PoxLimits limits;
    private int depth;
    private int elements;

    private PoxCursor(XMLStreamReader reader, PoxLimits limits) {
        this.reader = reader;
        this.limits = limits;
    }

    private static XMLInputFactory hardenedFactory() {
        // The JDK's own implementation, never whatever StAX provider happens to be on the class path.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource refused: " + systemId);
        });
        try {
            // The JDK's reader costs more to build than to parse a request with; the factory is per thread and the
            // reader is closed after every document, so the JDK may reset and reuse it (same hardened properties).
            f.setProperty("reuse-instance", Boolean.TRUE);
        } catch (IllegalArgumentException e) {
            // another JDK build without the property: one new reader per document
        }
        return f;
    }

    /**
     * Opens {@code bytes} after checking the byte cap, and positions the cursor on the root element.
     */
    static PoxCursor open(byte[] bytes, int length, PoxLimits limits) throws PoxParseException {
        if (length > limits.maxBytes()) {
            throw new PoxParseException(Reason.TOO_LARGE,
                    "document size: " + length + " bytes (expected: <= " + limits.maxBytes() + ")");
        }
        if (length == 0) {
            throw new PoxParseException(Reason.MALFORMED, "document: empty (expected: an Autodiscover XML document)");
        }
        XMLStreamReader r;
        try {
            r = FACTORY.get().createXMLStreamReader(new ByteArrayInputStream(bytes, 0, length));
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        PoxCursor c = new PoxCursor(r, limits);
        while (true) {
            int event = c.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return c;
            }
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new PoxParseException(Reason.MALFORMED, "document: no root element (expected: Autodiscover)");
            }
        }
    }

    private static PoxParseException malformed(XMLStreamException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
        return new PoxParseException(Reason.MALFORMED, "xml: not well-formed: " + msg + " (expected: well-formed XML)", e);
    }

    /** Advances one event, enforcing the refusals and caps. */
    private int next() throws PoxParseException {
        int event;
        try {
            event = reader.next();
        } catch (XMLStreamException | RuntimeException e) {
            // RuntimeException: some JDK parser errors surface unchecked; every one of them is a malformed document.
            throw e instanceof XMLStreamException x ? malformed(x)
                    : new PoxParseException(Reason.MALFORMED, "xml: not well-formed: " + e.getMessage()
                            + " (expected: well-formed XML)", e);
        }
        switch (event) {
            case XMLStreamConstants.DTD -> throw new PoxParseException(Reason.DTD_REFUSED,
                    "document type declaration: present (expected: none; DTDs and entities are refused)");
            case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                throw new PoxParseException(Reason.ENTITY_REFUSED,
                        "entity reference: &" + reader.getLocalName() + "; (expected: none)");
            case XMLStreamConstants.START_ELEMENT -> {
                depth++;
                elements++;
                if (depth > limits.maxDepth()) {
                    throw new PoxParseException(Reason.TOO_DEEP,
                            "element depth: more than " + limits.maxDepth() + " (expected: <= " + limits.maxDepth() + ")");
                }
                if (elements > limits.maxElements()) {
                    throw new PoxParseException(Reason.TOO_MANY_ELEMENTS, "element count: more than "
                            + limits.maxElements() + " (expected: <= " + limits.maxElements() + ")");
                }
            }
            case XMLStreamConstants.END_ELEMENT -> depth--;
            default -> {
                // text, whitespace, comments, processing instructions: nothing to check
            }
        }
        return event;
    }

    String localName() {
        return reader.getLocalName();
    }

    String namespace() {
        String ns = reader.getNamespaceURI();
        return ns == null ? "" : ns;
    }

    /** An attribute of the current start element (no namespace), or null. */
    String attribute(String name) {
        return reader.getAttributeValue(null, name);
    }

    /**
     * From a start element (or from the end of a previous child), moves to the next child start element and returns
     * true, or consumes the current element's end tag and returns false.
     */
    boolean nextChild() throws PoxParseException {
        while (true) {
            int event = next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new PoxParseException(Reason.MALFORMED, "document: ended inside an element (expected: end tag)");
            }
        }
    }

    /** Reads the text content of the current simple element and consumes its end tag. */
    String text() throws PoxParseException {
        String name = localName();
        StringBuilder sb = new StringBuilder();
        while (true) {
            int event = next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                    sb.append(reader.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return sb.toString().trim();
                }
                case XMLStreamConstants.START_ELEMENT -> throw new PoxParseException(Reason.INVALID_VALUE,
                        name + ": child element " + localName() + " (expected: text only)");
                case XMLStreamConstants.END_DOCUMENT -> throw new PoxParseException(Reason.MALFORMED,
                        "document: ended inside " + name + " (expected: end tag)");
                default -> {
                    // comments and processing instructions inside text are dropped
                }
            }
        }
    }

    /** Skips the current element and everything inside it, still enforcing every cap. */
    void skip() throws PoxParseException {
        int target = depth - 1;
        while (depth > target) {
            int event = next();
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new PoxParseException(Reason.MALFORMED, "document: ended inside an element (expected: end tag)");
            }
        }
    }

    /** After the root's end tag: only comments, whitespace and processing instructions may follow. */
    void finish() throws PoxParseException {
        while (true) {
            int event = next();
            if (event == XMLStreamConstants.END_DOCUMENT) {
                return;
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                throw new PoxParseException(Reason.MALFORMED, "document: second root element " + localName()
                        + " (expected: one root)");
            }
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // nothing held but memory
        }
    }
}
