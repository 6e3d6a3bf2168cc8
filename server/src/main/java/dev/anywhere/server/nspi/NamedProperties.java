package dev.anywhere.server.nspi;

import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls.PropertyName;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The address book's names for its properties, the same for every session and every snapshot: it has no named
 * properties of its own, so its only property set is PS_MAPI, in which a property's name is its property ID
 * ({@code lID} = the ID, as [MS-OXCPRPT] 3.2.5.9 names IDs below 0x8000 for a store). PS_MAPI holds every ID below
 * 0x8000 and the address book's own IDs above (PR_EMS_AB_MEMBER 0x8009 and the others it serves). A name in any
 * other property set, PS_PUBLIC_STRINGS included, names nothing here.
 *
 * @see [MS-NSPI] 3.1.4.16 NspiGetNamesFromIDs, 3.1.4.17 NspiGetIDsFromNames
 */
final class NamedProperties {

    /** PS_MAPI, {@code 00020328-0000-0000-C000-000000000046}, as FlatUID_r bytes ([MS-OXPROPS] 1.3.2). */
    static final Octets PS_MAPI = Octets.ofHex("2803020000000000c000000000000046");
    /** What NspiGetIDsFromNames answers for a name it cannot map: PtypErrorCode with ID 0. */
    static final int UNMAPPED = 0x0000_000A;

    /** The server's tags by property ID (the first tag given for an ID). */
    private final Map<Integer, Integer> serverTags = new TreeMap<>();

    /** @param tags every tag the server serves (their IDs at and above 0x8000 join PS_MAPI) */
    NamedProperties(List<Integer> tags) {
        for (int tag : tags) {
            serverTags.putIfAbsent(PropTags.id(tag), tag);
        }
    }

    /** The answer to a name: its proptag with PtypUnspecified, or {@link #UNMAPPED}. */
    int tagFor(PropertyName name) {
        int id = name.id();
        boolean known = name.guid().filter(PS_MAPI::equals).isPresent()
                && ((id > 0 && id < 0x8000) || serverTags.containsKey(id));
        return known ? id << 16 : UNMAPPED;
    }

    /** The name of {@code tag} in PS_MAPI, or the NULL name (no GUID, lID 0) when PS_MAPI is not asked for. */
    PropertyName nameOf(int tag, boolean psMapiAsked) {
        int id = PropTags.id(tag);
        boolean member = id < 0x8000 || serverTags.containsKey(id);
        return psMapiAsked && member && id != 0 ? new PropertyName(Optional.of(PS_MAPI), 0, id)
                : new PropertyName(Optional.empty(), 0, 0);
    }

    /** Every tag the server serves (for NspiGetNamesFromIDs without pPropTags), in ID order. */
    List<Integer> allTags() {
        return List.copyOf(serverTags.values());
    }

    /**
     * The answer of NspiGetIDsFromNames: a tag per name; ErrorsReturned when one is unmapped, AccessDenied (and no
     * tags) then if the client asked to verify the names.
     */
    static int status(List<Integer> tags, boolean verify) {
        if (!tags.contains(UNMAPPED)) {
            return Nspi.SUCCESS;
        }
        return verify ? Nspi.ACCESS_DENIED : Nspi.ERRORS_RETURNED;
    }
}
