package dev.anywhere.lab.dns;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The outcome of an authoritative lookup, before it is put on the wire: response code, AA flag and the three
 * record sections.
 *
 * @param rcode the RCODE ({@link Rcode}), e.g. {@code NOERROR} also for NODATA
 * @param authoritative whether AA is set (false for referrals and refusals)
 * @param answer the answer section, CNAME chain first
 * @param authority the authority section: SOA for negative answers (RFC 2308 3), NS for referrals
 * @param additional address records of in-zone SRV and NS targets
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2">RFC 1034 4.3.2 Algorithm</a>
 */
record Answer(int rcode, boolean authoritative, List<Record> answer, List<Record> authority, List<Record> additional) {

    Answer {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    static Answer refused() {
        return new Answer(Rcode.REFUSED, false, List.of(), List.of(), List.of());
    }
}
