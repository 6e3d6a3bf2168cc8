package dev.anywhere.directory.model;

import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One server's {@code msExchRpcHttpVirtualDirectory} object: the raw attribute values of Outlook Anywhere's
 * configuration, with Exchange's calculated properties on top.
 *
 * <p>Raw values are kept exactly as the directory stores them so that a round trip never rewrites what an
 * administrator (or Exchange) wrote; the accessors without a {@code raw} prefix are the cmdlet's view.
 *
 * @param server the owning server's short name (EX1)
 * @param rawFlags {@code msExchRpcHttpFlags}: bit 0x1 is SSLOffloading
 * @param externalUrl {@code msExchExternalHostName}: {@code https://host/rpc}; the scheme carries "clients require SSL"
 * @param internalUrl {@code msExchInternalHostName}, same encoding
 * @param rawExternalAuthenticationMethods {@code msExchExternalAuthenticationMethods}: exactly one flag when valid
 * @param rawIisAuthenticationMethods {@code msExchInternalAuthenticationMethods}: flag set, 0 meaning the default
 */
public record RpcHttpVirtualDirectory(
        String server,
        int rawFlags,
        Optional<URI> externalUrl,
        Optional<URI> internalUrl,
        int rawExternalAuthenticationMethods,
        int rawIisAuthenticationMethods) {

    /** {@code RpcHttpFlags.SSLOffloading}. */
    public static final int FLAG_SSL_OFFLOADING = 0x1;

    /** What a stored IIS flag word of 0 means: Basic, NTLM and Negotiate. */
    public static final Set<AuthenticationMethod> DEFAULT_IIS_METHODS =
            Set.copyOf(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM, AuthenticationMethod.NEGOTIATE));

    public RpcHttpVirtualDirectory {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(externalUrl, "externalUrl");
        Objects.requireNonNull(internalUrl, "internalUrl");
    }

    /** The name of the directory object, as Exchange names it. */
    public static String objectName() {
        return "Rpc (Default Web Site)";
    }

    /** The URL Exchange stores for a host name: {@code https://host/rpc} or {@code http://host/rpc}. */
    public static URI urlFor(String hostname, boolean requireSsl) {
        return URI.create((requireSsl ? "https" : "http") + "://" + hostname.toLowerCase(Locale.ROOT) + "/rpc");
    }

    /** SSLOffloading: TLS ends in front of the server, so the virtual directory must not require it. */
    public boolean sslOffloading() {
        return (rawFlags & FLAG_SSL_OFFLOADING) != 0;
    }

    /** ExternalHostname: the host of the external URL. */
    public Optional<String> externalHostname() {
        return externalUrl.map(URI::getHost);
    }

    /** ExternalClientsRequireSsl: the external URL's scheme is https. */
    public boolean externalClientsRequireSsl() {
        return externalUrl.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
    }

    /** InternalHostname: the host of the internal URL. */
    public Optional<String> internalHostname() {
        return internalUrl.map(URI::getHost);
    }

    /** InternalClientsRequireSsl: the internal URL's scheme is https. */
    public boolean internalClientsRequireSsl() {
        return internalUrl.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
    }

    /** ExternalClientAuthenticationMethod (ClientAuthenticationMethod in Exchange 2010), or MISCONFIGURED. */
    public ClientAuthenticationMethod externalClientAuthenticationMethod() {
        return ClientAuthenticationMethod.fromFlags(rawExternalAuthenticationMethods);
    }

    /** IISAuthenticationMethods: what the /rpc virtual directory offers; 0 stored means the default set. */
    public Set<AuthenticationMethod> iisAuthenticationMethods() {
        return rawIisAuthenticationMethods == 0
                ? DEFAULT_IIS_METHODS
                : Set.copyOf(AuthenticationMethod.fromFlags(rawIisAuthenticationMethods));
    }

    public RpcHttpVirtualDirectory withSslOffloading(boolean on) {
        int flags = on ? rawFlags | FLAG_SSL_OFFLOADING : rawFlags & ~FLAG_SSL_OFFLOADING;
        return new RpcHttpVirtualDirectory(server, flags, externalUrl, internalUrl,
                rawExternalAuthenticationMethods, rawIisAuthenticationMethods);
    }

    /** Sets ExternalHostname, keeping ExternalClientsRequireSsl (https when there was no URL yet). */
    public RpcHttpVirtualDirectory withExternalHostname(String hostname) {
        boolean ssl = externalUrl.isEmpty() || externalClientsRequireSsl();
        return new RpcHttpVirtualDirectory(server, rawFlags, Optional.of(urlFor(hostname, ssl)), internalUrl,
                rawExternalAuthenticationMethods, rawIisAuthenticationMethods);
    }

    /** Sets ExternalClientsRequireSsl by rewriting the URL's scheme, as Exchange does. */
    public RpcHttpVirtualDirectory withExternalClientsRequireSsl(boolean ssl) {
        return new RpcHttpVirtualDirectory(server, rawFlags, externalUrl.map(u -> urlFor(u.getHost(), ssl)), internalUrl,
                rawExternalAuthenticationMethods, rawIisAuthenticationMethods);
    }

    public RpcHttpVirtualDirectory withInternalHostname(String hostname, boolean ssl) {
        return new RpcHttpVirtualDirectory(server, rawFlags, externalUrl, Optional.of(urlFor(hostname, ssl)),
                rawExternalAuthenticationMethods, rawIisAuthenticationMethods);
    }

    public RpcHttpVirtualDirectory withExternalClientAuthenticationMethod(ClientAuthenticationMethod method) {
        int flag = method.method().orElseThrow(() -> new IllegalArgumentException("client authentication method: "
                + method + " (expected: Basic, Ntlm, NegoEx or Negotiate)")).flag();
        return new RpcHttpVirtualDirectory(server, rawFlags, externalUrl, internalUrl, flag, rawIisAuthenticationMethods);
    }

    public RpcHttpVirtualDirectory withIisAuthenticationMethods(Set<AuthenticationMethod> methods) {
        return new RpcHttpVirtualDirectory(server, rawFlags, externalUrl, internalUrl,
                rawExternalAuthenticationMethods, AuthenticationMethod.toFlags(methods));
    }
}
