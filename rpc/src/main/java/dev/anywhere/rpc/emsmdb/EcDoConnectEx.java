package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;

/**
 * EcDoConnectEx (opnum 10): opens a session context for the mailbox user {@code szUserDN}.
 *
 * @see [MS-OXCRPC] 3.1.4.1 EcDoConnectEx Method (Opnum 10)
 */
public final class EcDoConnectEx {
    public static final int OPNUM = 10;

    private EcDoConnectEx() {
    }

    /**
     * The [in] parameters, in IDL order.
     *
     * @param userDn szUserDN, the user's legacyExchangeDN
     * @param maxAuxOut *pcbAuxOut on input: how many auxiliary bytes the client accepts (0..0x1008)
     */
    public record Request(String userDn, long flags, long conMod, long cbLimit, long codePage, long lcidString,
            long lcidSort, long icxrLink, int canConvertCodePages, ProtocolVersion clientVersion, long timeStamp,
            Octets auxIn, long maxAuxOut) {

        public Request {
            Objects.requireNonNull(userDn, "userDn");
            Objects.requireNonNull(clientVersion, "clientVersion");
            Objects.requireNonNull(auxIn, "auxIn");
        }

        /** What Outlook 2010 sends: code page 1252, locale 0x409, ulIcxrLink 0xFFFFFFFF, no auxiliary input. */
        public static Request outlook(String userDn, ProtocolVersion clientVersion) {
            return new Request(userDn, 0, 0, 0, 1252, 0x409, 0x409, 0xFFFF_FFFFL, 1, clientVersion, 0, Octets.EMPTY,
                    Emsmdb.MAX_AUX);
        }

        public Octets encode() {
            return Emsmdb.encode(w -> {
                Emsmdb.asciiString(w, userDn); // szUserDN ([in, string], top-level ref)
                w.u32(flags); // ulFlags
                w.u32(conMod); // ulConMod
                w.u32(cbLimit); // cbLimit
                w.u32(codePage); // ulCpid
                w.u32(lcidString); // ulLcidString
                w.u32(lcidSort); // ulLcidSort
                w.u32(icxrLink); // ulIcxrLink
                w.u16(canConvertCodePages); // usFCanConvertCodePages
                w.u16(clientVersion.word0()).u16(clientVersion.word1()).u16(clientVersion.word2()); // rgwClientVersion[3]
                w.u32(timeStamp); // *pulTimeStamp
                w.conformantBytes(auxIn); // rgbAuxIn (size_is(cbAuxIn))
                w.u32(auxIn.length()); // cbAuxIn
                w.u32(maxAuxOut); // *pcbAuxOut
            });
        }

        /** @throws dev.anywhere.rpc.dce.DceProtocolException on malformed stub data (answered RPC_X_BAD_STUB_DATA) */
        public static Request decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            String dn = Emsmdb.asciiString(r, "szUserDN", Emsmdb.MAX_DN);
            long flags = r.u32("ulFlags");
            long conMod = r.u32("ulConMod");
            long cbLimit = r.u32("cbLimit");
            long cpid = r.u32("ulCpid");
            long lcidString = r.u32("ulLcidString");
            long lcidSort = r.u32("ulLcidSort");
            long icxr = r.u32("ulIcxrLink");
            int convert = r.u16("usFCanConvertCodePages");
            ProtocolVersion version = new ProtocolVersion(r.u16("rgwClientVersion[0]"), r.u16("rgwClientVersion[1]"),
                    r.u16("rgwClientVersion[2]"));
            long timeStamp = r.u32("pulTimeStamp");
            Octets aux = Emsmdb.sizedBytes(r, "rgbAuxIn", "cbAuxIn", Emsmdb.MAX_AUX);
            long maxAuxOut = Emsmdb.rangedU32(r, "pcbAuxOut", Emsmdb.MAX_AUX);
            r.expectEnd("EcDoConnectEx request");
            return new Request(dn, flags, conMod, cbLimit, cpid, lcidString, lcidSort, icxr, convert, version, timeStamp,
                    aux, maxAuxOut);
        }
    }

    /**
     * The [out] parameters and the return value.
     *
     * @param icxr the session index (*picxr)
     * @param dnPrefix szDNPrefix, the server's DN prefix
     * @param displayName szDisplayName, the user's display name
     * @param returnValue {@link EcCode}
     */
    public record Response(ContextHandle cxh, long pollsMax, long retry, long retryDelay, int icxr, String dnPrefix,
            String displayName, ProtocolVersion serverVersion, ProtocolVersion bestVersion, long timeStamp,
            Octets auxOut, int returnValue) {

        public Response {
            Objects.requireNonNull(cxh, "cxh");
            Objects.requireNonNull(dnPrefix, "dnPrefix");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(serverVersion, "serverVersion");
            Objects.requireNonNull(bestVersion, "bestVersion");
            Objects.requireNonNull(auxOut, "auxOut");
        }

        /** A failed connect: NULL handle, empty strings, the server's version, {@code code}. */
        public static Response failure(int code, ProtocolVersion serverVersion, ProtocolVersion bestVersion, long timeStamp) {
            return new Response(ContextHandle.NULL, 0, 0, 0, 0, "", "", serverVersion, bestVersion, timeStamp,
                    Octets.EMPTY, code);
        }

        public Octets encode() {
            return Emsmdb.encode(w -> {
                w.contextHandle(cxh); // *pcxh
                w.u32(pollsMax); // *pcmsPollsMax
                w.u32(retry); // *pcRetry
                w.u32(retryDelay); // *pcmsRetryDelay
                w.u16(icxr); // *picxr
                w.topLevelUnique(dnPrefix, Emsmdb::asciiString); // *szDNPrefix (unique under a ref)
                w.topLevelUnique(displayName, Emsmdb::asciiString); // *szDisplayName
                w.u16(serverVersion.word0()).u16(serverVersion.word1()).u16(serverVersion.word2()); // rgwServerVersion[3]
                w.u16(bestVersion.word0()).u16(bestVersion.word1()).u16(bestVersion.word2()); // rgwBestVersion[3]
                w.u32(timeStamp); // *pulTimeStamp
                w.conformantVaryingBytes(auxOut); // rgbAuxOut (size_is = length_is = *pcbAuxOut)
                w.u32(auxOut.length()); // *pcbAuxOut
                w.u32(returnValue & 0xFFFF_FFFFL); // return value
            });
        }

        public static Response decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            ContextHandle cxh = r.contextHandle("pcxh");
            long polls = r.u32("pcmsPollsMax");
            long retry = r.u32("pcRetry");
            long delay = r.u32("pcmsRetryDelay");
            int icxr = r.u16("picxr");
            String prefix = r.topLevelUnique("szDNPrefix", x -> Emsmdb.asciiString(x, "szDNPrefix", Emsmdb.MAX_DN)).orElse("");
            String name = r.topLevelUnique("szDisplayName", x -> Emsmdb.asciiString(x, "szDisplayName", Emsmdb.MAX_DN)).orElse("");
            ProtocolVersion server = new ProtocolVersion(r.u16("rgwServerVersion[0]"), r.u16("rgwServerVersion[1]"),
                    r.u16("rgwServerVersion[2]"));
            ProtocolVersion best = new ProtocolVersion(r.u16("rgwBestVersion[0]"), r.u16("rgwBestVersion[1]"),
                    r.u16("rgwBestVersion[2]"));
            long timeStamp = r.u32("pulTimeStamp");
            Octets aux = Emsmdb.outBytes(r, "rgbAuxOut", "pcbAuxOut", Emsmdb.MAX_AUX);
            int rv = r.i32("return value");
            r.expectEnd("EcDoConnectEx response");
            return new Response(cxh, polls, retry, delay, icxr, prefix, name, server, best, timeStamp, aux, rv);
        }
    }
}
