package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;

/**
 * The table position and code pages of an NSPI call (nine 32-bit fields, 36 bytes).
 *
 * @param sortType SortTypeDisplayName (0) and friends
 * @param containerId the container's MId; 0 is the global address list
 * @param currentRec the current row's MId, or MID_BEGINNING_OF_TABLE (0) / MID_END_OF_TABLE (2)
 * @param delta rows to move from {@code currentRec} (signed)
 * @param numPos the approximate position of the current row
 * @param totalRecs rows in the table
 * @param codePage the code page of 8-bit strings
 * @param templateLocale LCID for templates
 * @param sortLocale LCID for sorting
 * @see [MS-OXNSPI] 2.3.7 STAT
 */
public record Stat(int sortType, int containerId, int currentRec, int delta, int numPos, int totalRecs, int codePage,
        int templateLocale, int sortLocale) {

    /** Bytes on the wire. */
    public static final int LENGTH = 36;
    /** MID_BEGINNING_OF_TABLE ([MS-OXNSPI] 2.2.8). */
    public static final int MID_BEGINNING_OF_TABLE = 0;
    /** MID_CURRENT. */
    public static final int MID_CURRENT = 1;
    /** MID_END_OF_TABLE. */
    public static final int MID_END_OF_TABLE = 2;

    static Stat read(NdrReader r) {
        return new Stat(r.i32("STAT SortType"), r.i32("STAT ContainerID"), r.i32("STAT CurrentRec"),
                r.i32("STAT Delta"), r.i32("STAT NumPos"), r.i32("STAT TotalRecs"), r.i32("STAT CodePage"),
                r.i32("STAT TemplateLocale"), r.i32("STAT SortLocale"));
    }

    void write(NdrWriter w) {
        w.u32(sortType).u32(containerId).u32(currentRec).u32(delta).u32(numPos).u32(totalRecs).u32(codePage)
                .u32(templateLocale).u32(sortLocale);
    }

    /** A STAT on the global address list's first row with these code page and locale (what a client binds with). */
    public static Stat start(int codePage, int locale) {
        return new Stat(0, 0, MID_BEGINNING_OF_TABLE, 0, 0, 0, codePage, locale, locale);
    }

    public Stat withPosition(int newCurrentRec, int newNumPos, int newTotalRecs) {
        return new Stat(sortType, containerId, newCurrentRec, 0, newNumPos, newTotalRecs, codePage, templateLocale,
                sortLocale);
    }

    public Stat withContainer(int newContainerId) {
        return new Stat(sortType, newContainerId, currentRec, delta, numPos, totalRecs, codePage, templateLocale,
                sortLocale);
    }

    public Stat withCurrentRec(int newCurrentRec) {
        return new Stat(sortType, containerId, newCurrentRec, delta, numPos, totalRecs, codePage, templateLocale,
                sortLocale);
    }
}
