package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code User} element: who the mailbox belongs to.
 *
 * @param displayName {@code DisplayName}
 * @param legacyDn {@code LegacyDN}, the mailbox's legacy distinguished name
 * @param autoDiscoverSmtpAddress {@code AutoDiscoverSMTPAddress}, the primary SMTP address used for Autodiscover
 * @param defaultAbView {@code DefaultABView} (Exchange: {@code contacts} when set)
 * @param deploymentId {@code DeploymentId}, the Exchange forest's GUID
 * @see [MS-OXDSCLI] 2.2.4.1.1.1 User
 */
public record User(Optional<String> displayName, Optional<String> legacyDn, Optional<String> autoDiscoverSmtpAddress,
        Optional<String> defaultAbView, Optional<String> deploymentId) {

    public User {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(legacyDn, "legacyDn");
        Objects.requireNonNull(autoDiscoverSmtpAddress, "autoDiscoverSmtpAddress");
        Objects.requireNonNull(defaultAbView, "defaultAbView");
        Objects.requireNonNull(deploymentId, "deploymentId");
    }

    /** The three fields the Anywhere service always writes. */
    public static User of(String displayName, String legacyDn, String smtpAddress) {
        return new User(Optional.of(displayName), Optional.of(legacyDn), Optional.of(smtpAddress), Optional.empty(),
                Optional.empty());
    }
}
