package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;

/**
 * An Autodiscover request: who is asking ({@code EMailAddress} and/or {@code LegacyDN}) and which response schema the
 * client accepts.
 *
 * @param emailAddress the {@code EMailAddress} element, if present
 * @param legacyDn the {@code LegacyDN} element, if present
 * @param acceptableResponseSchema the {@code AcceptableResponseSchema} element, normally
 *        {@link PoxNamespaces#OUTLOOK_RESPONSE}
 * @see [MS-OXDSCLI] 2.2.3.1.1 Request
 */
public record AutodiscoverRequest(Optional<String> emailAddress, Optional<String> legacyDn,
        String acceptableResponseSchema) {

    public AutodiscoverRequest {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(legacyDn, "legacyDn");
        Objects.requireNonNull(acceptableResponseSchema, "acceptableResponseSchema");
        if (emailAddress.isEmpty() && legacyDn.isEmpty()) {
            throw new IllegalArgumentException("request: no EMailAddress and no LegacyDN (expected: at least one)");
        }
    }

    /** A request for {@code emailAddress} accepting the Outlook 2006a response schema, as Outlook sends it. */
    public static AutodiscoverRequest forEmail(String emailAddress) {
        return new AutodiscoverRequest(Optional.of(emailAddress), Optional.empty(), PoxNamespaces.OUTLOOK_RESPONSE);
    }

    /**
     * The address the server looks up. Per spec, "If the server receives a request that contains both the EMailAddress
     * element and the LegacyDN element, the value of the LegacyDN element MUST be used."
     *
     * @see [MS-OXDSCLI] 3.2.5 Message Processing Events and Sequencing Rules
     */
    public String lookupAddress() {
        return legacyDn.orElseGet(emailAddress::orElseThrow);
    }

    /** True when the lookup address is a legacy DN (so the server searches by DN, not by SMTP address). */
    public boolean lookupByLegacyDn() {
        return legacyDn.isPresent();
    }

    /**
     * True when the client accepts the Outlook response schema. A server that cannot provide the requested schema
     * answers ErrorCode 601.
     */
    public boolean acceptsOutlookSchema() {
        return PoxNamespaces.OUTLOOK_RESPONSE.equals(acceptableResponseSchema.trim());
    }
}
