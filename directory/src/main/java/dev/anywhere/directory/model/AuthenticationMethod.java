package dev.anywhere.directory.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Exchange's {@code AuthenticationMethodFlags}: the bit values that every virtual-directory authentication attribute
 * stores ({@code msExchExternalAuthenticationMethods}, {@code msExchInternalAuthenticationMethods}).
 *
 * <p>Never persist the ordinal: the cmdlet enum has a different order; only {@link #flag()} goes to the directory.
 */
public enum AuthenticationMethod {
    BASIC(1, "Basic"),
    NTLM(2, "Ntlm"),
    FBA(4, "Fba"),
    DIGEST(8, "Digest"),
    WINDOWS_INTEGRATED(16, "WindowsIntegrated"),
    LIVE_ID_FBA(32, "LiveIdFba"),
    LIVE_ID_BASIC(64, "LiveIdBasic"),
    WS_SECURITY(128, "WSSecurity"),
    CERTIFICATE(256, "Certificate"),
    NEGO_EX(512, "NegoEx"),
    OAUTH(1024, "OAuth"),
    ADFS(2048, "Adfs"),
    KERBEROS(4096, "Kerberos"),
    NEGOTIATE(8192, "Negotiate"),
    LIVE_ID_NEGOTIATE(16384, "LiveIdNegotiate");

    private final int flag;
    private final String cmdletName;

    AuthenticationMethod(int flag, String cmdletName) {
        this.flag = flag;
        this.cmdletName = cmdletName;
    }

    /** The bit this method occupies in the directory's flag words. */
    public int flag() {
        return flag;
    }

    /** The spelling Exchange's cmdlets print ({@code Basic}, {@code Ntlm}, {@code Negotiate}). */
    public String cmdletName() {
        return cmdletName;
    }

    /** Parses a cmdlet spelling case-insensitively, as PowerShell does. */
    public static Optional<AuthenticationMethod> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (AuthenticationMethod m : values()) {
            if (m.cmdletName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The methods whose bits are set in {@code flags}; unknown bits are ignored. */
    public static Set<AuthenticationMethod> fromFlags(int flags) {
        EnumSet<AuthenticationMethod> set = EnumSet.noneOf(AuthenticationMethod.class);
        for (AuthenticationMethod m : values()) {
            if ((flags & m.flag) != 0) {
                set.add(m);
            }
        }
        return set;
    }

    /** The flag word for {@code methods}. */
    public static int toFlags(Set<AuthenticationMethod> methods) {
        int flags = 0;
        for (AuthenticationMethod m : methods) {
            flags |= m.flag;
        }
        return flags;
    }
}
