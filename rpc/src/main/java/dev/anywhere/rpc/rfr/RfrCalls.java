package dev.anywhere.rpc.rfr;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The referral service's two calls, each a request and a result record that encode and decode themselves: the
 * server decodes requests and encodes results, a client the reverse, with one codec.
 *
 * <pre>
 * RfrGetNewDSA           in:  ulFlags u32 | pUserDN string | ppszUnused unique→unique→string | ppszServer unique→unique→string
 *                        out: ppszUnused unique→unique→string | ppszServer unique→unique→string | long
 * RfrGetFQDNFromServerDN in:  ulFlags u32 | cbMailboxServerDN u32 (10..1024) | szMailboxServerDN string (size_is cb)
 *                        out: ppszServerFQDN (ref→) unique→string | long
 * </pre>
 * {@code string} = {@code [string] unsigned char*}: max_count, offset 0, actual_count, the bytes with their NUL.
 * Decoders ignore bytes after the IDL's fields: Windows clients append the verification trailer ([MS-RPCE] 2.2.2.13).
 *
 * @see [MS-OXABREF] 3.1.4.1 RfrGetNewDSA (opnum 0), 3.1.4.2 RfrGetFQDNFromServerDN (opnum 1)
 */
public final class RfrCalls {

    /** 1544f5e0-613c-11d1-93df-00c04fd7bd09 v1.0. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("1544f5e0-613c-11d1-93df-00c04fd7bd09"), 1, 0);
    /** Success. */
    public static final int SUCCESS = 0;
    /** MAPI_E_NOT_FOUND: no Exchange server by that DN. */
    public static final int NOT_FOUND = 0x8004010F;
    /** MAPI_E_INVALID_PARAMETER (E_INVALIDARG): the DN is not a server DN. */
    public static final int INVALID_PARAMETER = 0x80070057;
    /** MAPI_E_LOGON_FAILED. */
    public static final int LOGON_FAILED = 0x80040111;
    /** MAPI_E_NO_ACCESS (E_ACCESSDENIED). */
    public static final int NO_ACCESS = 0x80070005;
    /** MAPI_E_CALL_FAILED (E_FAIL). */
    public static final int CALL_FAILED = 0x80004005;
    /** Longest DN accepted, NUL included: the range of cbMailboxServerDN. */
    public static final int MAX_DN = 1024;

    private RfrCalls() {
    }

    /** RfrGetNewDSA (opnum 0): which server answers NSPI for the mailbox {@code userDn}. */
    public record GetNewDsa(int flags, String userDn, Optional<String> unused, Optional<String> server) {
        public static final int OPNUM = 0;

        public GetNewDsa {
            Objects.requireNonNull(userDn, "userDn");
            Objects.requireNonNull(unused, "unused");
            Objects.requireNonNull(server, "server");
        }

        /** What a client sends: flags 0, ppszUnused NULL, ppszServer a pointer to a NULL string (the answer's slot). */
        public static GetNewDsa of(String userDn) {
            return new GetNewDsa(0, userDn, Optional.empty(), Optional.empty());
        }

        public Octets encode() {
            return RfrCalls.encode(w -> {
                w.u32(flags); // ulFlags
                string(w, userDn); // pUserDN
                w.u32(0); // ppszUnused: NULL ([MS-OXABREF] 3.1.4.1: SHOULD be NULL)
                w.u32(0x00020000); // ppszServer: a pointer to the char* the server fills
                if (server.isPresent()) {
                    w.u32(0x00020004);
                    string(w, server.get());
                } else {
                    w.u32(0);
                }
            });
        }

        public static GetNewDsa decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            int flags = r.i32("ulFlags");
            String dn = string(r, "pUserDN");
            Optional<String> unused = stringPointerPointer(r, "ppszUnused");
            Optional<String> server = stringPointerPointer(r, "ppszServer");
            return new GetNewDsa(flags, dn, unused, server);
        }
    }

    /** RfrGetNewDSA's answer: the NSPI server's FQDN on success. */
    public record GetNewDsaResult(Optional<String> unused, Optional<String> server, int returnCode) {
        public GetNewDsaResult {
            Objects.requireNonNull(unused, "unused");
            Objects.requireNonNull(server, "server");
        }

        public Octets encode() {
            return RfrCalls.encode(w -> {
                int[] referentId = {0x00020000}; // referent ids: any distinct non-zero values
                writeStringPointerPointer(w, unused, referentId);
                writeStringPointerPointer(w, server, referentId);
                w.u32(returnCode & 0xFFFF_FFFFL);
            });
        }

        public static GetNewDsaResult decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            Optional<String> unused = stringPointerPointer(r, "ppszUnused");
            Optional<String> server = stringPointerPointer(r, "ppszServer");
            return new GetNewDsaResult(unused, server, r.i32("return value"));
        }
    }

    /** RfrGetFQDNFromServerDN (opnum 1): the FQDN of the server named by {@code serverDn} (a server or database DN). */
    public record GetFqdnFromServerDn(int flags, String serverDn) {
        public static final int OPNUM = 1;

        public GetFqdnFromServerDn {
            Objects.requireNonNull(serverDn, "serverDn");
        }

        public static GetFqdnFromServerDn of(String serverDn) {
            return new GetFqdnFromServerDn(0, serverDn);
        }

        /**
         * @throws IllegalArgumentException when the DN with its NUL is outside the IDL's range 10..1024
         */
        public Octets encode() {
            int cb = serverDn.getBytes(StandardCharsets.ISO_8859_1).length + 1;
            if (cb < 10 || cb > MAX_DN) {
                throw new IllegalArgumentException("szMailboxServerDN: " + cb + " bytes with its NUL (expected: 10..1024, the IDL's range)");
            }
            return RfrCalls.encode(w -> {
                w.u32(flags); // ulFlags
                w.u32(cb); // cbMailboxServerDN: the DN's bytes, NUL included
                string(w, serverDn); // szMailboxServerDN
            });
        }

        public static GetFqdnFromServerDn decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            int flags = r.i32("ulFlags");
            long cb = r.u32("cbMailboxServerDN");
            if (cb < 10 || cb > MAX_DN) {
                throw new DceProtocolException("cbMailboxServerDN: " + cb + " (expected: 10..1024, the IDL's range)");
            }
            return new GetFqdnFromServerDn(flags, string(r, "szMailboxServerDN"));
        }
    }

    /** RfrGetFQDNFromServerDN's answer: the FQDN on success, NULL otherwise. */
    public record GetFqdnResult(Optional<String> fqdn, int returnCode) {
        public GetFqdnResult {
            Objects.requireNonNull(fqdn, "fqdn");
        }

        public Octets encode() {
            return RfrCalls.encode(w -> {
                if (fqdn.isPresent()) {
                    w.u32(0x00020000); // ppszServerFQDN (a ref pointer, no wire form): the char*'s referent id
                    string(w, fqdn.get());
                } else {
                    w.u32(0); // NULL
                }
                w.u32(returnCode & 0xFFFF_FFFFL);
            });
        }

        public static GetFqdnResult decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            Optional<String> fqdn = r.i32("ppszServerFQDN referent id") == 0 ? Optional.empty()
                    : Optional.of(string(r, "ppszServerFQDN"));
            return new GetFqdnResult(fqdn, r.i32("return value"));
        }
    }

    private static Octets encode(Consumer<NdrWriter> body) {
        ByteBuf out = Unpooled.buffer();
        body.accept(new NdrWriter(out));
        return Octets.copyOf(out);
    }

    /** A [string] unsigned char*: conformant varying bytes whose last one is the NUL. */
    static String string(NdrReader r, String field) {
        Octets b = r.conformantVaryingBytes(field, MAX_DN);
        if (b.length() == 0 || b.get(b.length() - 1) != 0) {
            throw new DceProtocolException(field + ": no terminating NUL (expected: a NUL-terminated string)");
        }
        return new String(b.toByteArray(), 0, b.length() - 1, StandardCharsets.ISO_8859_1);
    }

    static void string(NdrWriter w, String s) {
        byte[] chars = s.getBytes(StandardCharsets.ISO_8859_1);
        w.conformantVaryingBytes(Octets.of(Arrays.copyOf(chars, chars.length + 1)));
    }

    /** An [in,out,unique,string] char**: a unique pointer to a unique pointer to a string; empty when either is NULL. */
    static Optional<String> stringPointerPointer(NdrReader r, String field) {
        if (r.i32(field + " referent id") != 0 && r.i32(field + " char* referent id") != 0) {
            return Optional.of(string(r, field));
        }
        return Optional.empty();
    }

    /** NULL for an empty value, else two referent ids (taken from {@code next}) and the string. */
    private static void writeStringPointerPointer(NdrWriter w, Optional<String> value, int[] next) {
        if (value.isEmpty()) {
            w.u32(0);
            return;
        }
        w.u32(next[0]);
        w.u32(next[0] + 4);
        next[0] += 8;
        string(w, value.get());
    }
}
