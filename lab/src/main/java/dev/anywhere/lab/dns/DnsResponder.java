package dev.anywhere.lab.dns;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one DNS query message into its response message, bytes in and bytes out, with no I/O; the Netty handlers of
 * {@link DnsServer} only move the bytes.
 *
 * <p>What each kind of input gets:
 * <ul>
 *   <li>shorter than the 12-byte header, or a response (QR=1): nothing, the packet is dropped;</li>
 *   <li>a header followed by bytes that do not parse (bad label length, compression loop, truncated record),
 *       QDCOUNT other than 1, or more than one OPT record: FORMERR with the query's ID and no question
 *       (RFC 1035 4.1.1, RFC 6891 6.1.1);</li>
 *   <li>an opcode other than QUERY: NOTIMP; an EDNS version other than 0: BADVERS (RFC 6891 6.1.3);</li>
 *   <li>class other than IN/ANY, zone transfers, or a name outside every served zone: REFUSED;</li>
 *   <li>otherwise the authoritative answer of {@link ZoneLookup}, truncated over UDP to the question with TC set
 *       when it does not fit (RFC 2181 9), so the client retries over TCP.</li>
 * </ul>
 * Thread-safe: the zones are an immutable {@link ZoneSet} read once per query.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-4.1">RFC 1035 4.1 Message format</a>
 */
public final class DnsResponder {

    /** UDP payload limit without EDNS (RFC 1035 4.2.1). */
    public static final int CLASSIC_UDP_LIMIT = 512;
    /** The UDP payload size this server advertises in its OPT record (the DNS Flag Day 2020 value). */
    public static final int ADVERTISED_UDP_PAYLOAD = 1232;
    /** The largest EDNS payload size honoured from a client, whatever it advertises. */
    public static final int MAX_UDP_PAYLOAD = 4096;

    private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);

    private final AtomicReference<ZoneSet> zones;

    /** A responder serving {@code zones}. */
    public DnsResponder(ZoneSet zones) {
        this.zones = new AtomicReference<>(Objects.requireNonNull(zones, "zones"));
    }

    /** The zones served now. */
    public ZoneSet zones() {
        return zones.get();
    }

    /** Serves {@code next} from the next query on; a query in progress finishes with the zones it started with. */
    public void replaceZones(ZoneSet next) {
        zones.set(Objects.requireNonNull(next, "zones"));
    }

    /**
     * The response to {@code query}, or empty when the packet deserves no answer (no header, or not a query).
     * Never throws: an internal error becomes SERVFAIL.
     */
    public Optional<byte[]> respond(byte[] query, Transport transport) {
        if (query.length < Header.LENGTH) {
            log.debug("dns {} <- {} bytes: dropped (expected: at least a {}-byte header)", transport, query.length,
                    Header.LENGTH);
            return Optional.empty();
        }
        Header header;
        try {
            header = new Header(query);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreachable with 12 bytes, kept so nothing escapes
        }
        if (header.getFlag(Flags.QR)) {
            log.debug("dns {} <- id={}: dropped (expected: QR=0, got a response)", transport, header.getID());
            return Optional.empty();
        }
        try {
            return Optional.of(answer(header, query, transport));
        } catch (RuntimeException e) {
            log.warn("dns {} <- id={}: internal error, answering SERVFAIL", transport, header.getID(), e);
            return Optional.of(bare(header, Rcode.SERVFAIL, null).toWire());
        }
    }

    private byte[] answer(Header header, byte[] wire, Transport transport) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            log.debug("dns {} <- id={}: FORMERR: {}", transport, header.getID(), e.getMessage());
            return bare(header, Rcode.FORMERR, null).toWire();
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return bare(header, Rcode.NOTIMP, null).toWire();
        }
        if (header.getCount(Section.QUESTION) != 1) {
            log.debug("dns {} <- id={}: FORMERR: qdcount: {} (expected: 1)", transport, header.getID(),
                    header.getCount(Section.QUESTION));
            return bare(header, Rcode.FORMERR, null).toWire();
        }
        if (query.getQuestion() == null) {
            // dnsjava parses a message with TC set even when it ends inside the question, keeping no question
            log.debug("dns {} <- id={}: FORMERR: question: truncated (expected: one whole question)", transport,
                    header.getID());
            return bare(header, Rcode.FORMERR, null).toWire();
        }
        List<Record> additional = query.getSection(Section.ADDITIONAL);
        long optCount = additional.stream().filter(r -> r.getType() == Type.OPT).count();
        if (optCount > 1) {
            return bare(header, Rcode.FORMERR, null).toWire();
        }
        OPTRecord clientOpt = query.getOPT();
        Record question = query.getQuestion();
        if (clientOpt != null && clientOpt.getVersion() != 0) {
            Message response = bare(header, Rcode.NOERROR, question);
            setRcode(response, Rcode.BADVERS, true);
            return response.toWire();
        }
        int qtype = question.getType();
        int qclass = question.getDClass();
        Answer result;
        if ((qclass != DClass.IN && qclass != DClass.ANY) || qtype == Type.AXFR || qtype == Type.IXFR
                || qtype == Type.OPT) {
            result = Answer.refused();
        } else {
            result = ZoneLookup.lookup(zones.get(), question.getName(), qtype);
        }
        Message response = bare(header, Rcode.NOERROR, question);
        setRcode(response, result.rcode(), clientOpt != null);
        if (result.authoritative()) {
            response.getHeader().setFlag(Flags.AA);
        }
        result.answer().forEach(r -> response.addRecord(r, Section.ANSWER));
        result.authority().forEach(r -> response.addRecord(r, Section.AUTHORITY));
        result.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));

        byte[] out = response.toWire();
        int limit = limit(transport, clientOpt);
        if (out.length > limit) {
            // RFC 2181 9: an RRset that does not fit is not sent in part; TC asks the client to retry over TCP
            Message truncated = bare(header, Rcode.NOERROR, question);
            setRcode(truncated, result.rcode(), clientOpt != null);
            if (result.authoritative()) {
                truncated.getHeader().setFlag(Flags.AA);
            }
            truncated.getHeader().setFlag(Flags.TC);
            log.debug("dns {} -> id={} {}: {} bytes over limit {}, truncated", transport, header.getID(), question,
                    out.length, limit);
            return truncated.toWire();
        }
        log.debug("dns {} -> id={} {} {} an={} ns={}", transport, header.getID(), question.getName(),
                Type.string(qtype), result.answer().size(), result.authority().size());
        return out;
    }

    private static int limit(Transport transport, OPTRecord clientOpt) {
        if (transport == Transport.TCP) {
            return Message.MAXLENGTH;
        }
        if (clientOpt == null) {
            return CLASSIC_UDP_LIMIT;
        }
        // RFC 6891 6.2.5: values below 512 are treated as 512
        return Math.max(CLASSIC_UDP_LIMIT, Math.min(clientOpt.getPayloadSize(), MAX_UDP_PAYLOAD));
    }

    /** A response header echoing ID, opcode and RD (RFC 1035 4.1.1), with {@code question} if given. */
    private static Message bare(Header query, int rcode, Record question) {
        Message response = new Message(query.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(query.getOpcode());
        if (query.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setRcode(rcode & 0xF);
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    /**
     * Sets the 12-bit RCODE: the low 4 bits in the header, the high 8 bits in our OPT record (RFC 6891 6.1.3), which
     * is added whenever the client sent one.
     */
    private static void setRcode(Message response, int rcode, boolean withOpt) {
        response.getHeader().setRcode(rcode & 0xF);
        if (withOpt) {
            response.addRecord(new OPTRecord(ADVERTISED_UDP_PAYLOAD, rcode >>> 4, 0, 0), Section.ADDITIONAL);
        }
    }
}
