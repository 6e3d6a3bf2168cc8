package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.model.OutlookProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The Outlook providers Autodiscover reads (Get-/Set-OutlookProvider). */
@Command(name = "provider", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.provider", subcommands = {ProviderCommand.Get.class, ProviderCommand.Change.class})
final class ProviderCommand {

    static final List<String> NAMES = List.of("EXCH", "EXPR", "WEB");

    static String name(String value) {
        String n = value.toUpperCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw UserError.usage(CliText.local("provider.unknown", "value", value));
        }
        return n;
    }

    @Command(name = "get", mixinStandardHelpOptions = true)
    static final class Get extends OaCommand.DirectoryCommandBase {
        @Parameters(arity = "0..1", paramLabel = "NAME", descriptionKey = "name")
        String name;

        @Override
        int run(SiteDirectory dir) {
            for (String n : name == null ? NAMES : List.of(name(name))) {
                Optional<OutlookProvider> p = dir.provider(n);
                if (p.isEmpty()) {
                    out().printf("%-5s %s%n", n, CliText.local("provider.missing"));
                    continue;
                }
                OutlookProvider v = p.get();
                out().printf("%-5s CertPrincipalName=%s Server=%s TTL=%d OutlookProviderFlags=%s%n", n,
                        v.certPrincipalName().orElse(CliText.local("profile.value.none")), v.server().orElse(CliText.local("profile.value.none")), v.ttlHours(),
                        v.serverExclusiveConnect() ? "ServerExclusiveConnect" : "None");
            }
            return Anywhere.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true)
    static final class Change extends OaCommand.DirectoryCommandBase {
        @Parameters(index = "0", paramLabel = "NAME", descriptionKey = "name")
        String name;

        @Option(names = "--cert-principal-name", paramLabel = "msstd:HOST")
        String certPrincipalName;

        @Option(names = "--ttl", paramLabel = "HOURS")
        Integer ttl;

        @Option(names = "--flags", paramLabel = "None|ServerExclusiveConnect")
        String flags;

        @Option(names = "--server-name", paramLabel = "NAME")
        String serverName;

        @Override
        int run(SiteDirectory dir) {
            String n = name(name);
            if (certPrincipalName == null && ttl == null && flags == null && serverName == null) {
                throw UserError.usage(CliText.local("provider.nothing-to-set"));
            }
            Optional<String> principal = certPrincipalName == null ? null : principal(certPrincipalName);
            if (ttl != null && (ttl < -1 || ttl > 65536)) {
                throw UserError.usage(CliText.local("provider.ttl-bad", "ttl", ttl));
            }
            Integer flagBits = flags == null ? null : switch (flags.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> 0;
                case "serverexclusiveconnect" -> OutlookProvider.FLAG_SERVER_EXCLUSIVE_CONNECT;
                default -> throw UserError.usage(CliText.local("provider.flags-bad", "flags", flags));
            };
            OutlookProvider p = dir.provider(n).orElse(OutlookProvider.defaults(n));
            OutlookProvider changed = new OutlookProvider(n,
                    principal == null ? p.certPrincipalName() : principal,
                    serverName == null ? p.server() : Optional.of(serverName.trim()).filter(s -> !s.isEmpty()),
                    ttl == null ? p.ttlHours() : ttl,
                    flagBits == null ? p.rawFlags() : flagBits);
            dir.putProvider(changed);
            out().println(CliText.local("provider.changed", "name", n));
            return Anywhere.OK;
        }

        private static Optional<String> principal(String value) {
            String v = value.trim();
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (!v.regionMatches(true, 0, "msstd:", 0, 6) || v.length() == 6 || v.contains(" ")) {
                throw UserError.usage(CliText.local("provider.principal-bad", "value", value));
            }
            return Optional.of("msstd:" + v.substring(6));
        }
    }
}
