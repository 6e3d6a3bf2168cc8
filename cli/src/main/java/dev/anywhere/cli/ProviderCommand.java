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
@Command(name = "provider", mixinStandardHelpOptions = true, description = "Show or change the Outlook providers EXCH, EXPR and WEB "
        + "(Get-/Set-OutlookProvider).", subcommands = {ProviderCommand.Get.class, ProviderCommand.Change.class})
final class ProviderCommand {

    static final List<String> NAMES = List.of("EXCH", "EXPR", "WEB");

    static String name(String value) {
        String n = value.toUpperCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw UserError.usage("unknown provider '" + value + "' (expected: EXCH, EXPR or WEB)");
        }
        return n;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one provider or all.")
    static final class Get extends OaCommand.DirectoryCommandBase {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "EXCH, EXPR or WEB (default: all).")
        String name;

        @Override
        int run(SiteDirectory dir) {
            for (String n : name == null ? NAMES : List.of(name(name))) {
                Optional<OutlookProvider> p = dir.provider(n);
                if (p.isEmpty()) {
                    out().printf("%-5s (missing from the directory)%n", n);
                    continue;
                }
                OutlookProvider v = p.get();
                out().printf("%-5s CertPrincipalName=%s Server=%s TTL=%d OutlookProviderFlags=%s%n", n,
                        v.certPrincipalName().orElse("(none)"), v.server().orElse("(none)"), v.ttlHours(),
                        v.serverExclusiveConnect() ? "ServerExclusiveConnect" : "None");
            }
            return Anywhere.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change a provider.")
    static final class Change extends OaCommand.DirectoryCommandBase {
        @Parameters(index = "0", paramLabel = "NAME", description = "EXCH, EXPR or WEB.")
        String name;

        @Option(names = "--cert-principal-name", paramLabel = "msstd:HOST",
                description = "The name Outlook expects in the proxy's certificate (msstd:oa.frankysweb.org); empty to clear.")
        String certPrincipalName;

        @Option(names = "--ttl", paramLabel = "HOURS", description = "Hours clients keep the answer (-1..65536).")
        Integer ttl;

        @Option(names = "--flags", paramLabel = "None|ServerExclusiveConnect", description = "OutlookProviderFlags.")
        String flags;

        @Option(names = "--server-name", paramLabel = "NAME", description = "msExchAutoDiscoverServer; empty to clear.")
        String serverName;

        @Override
        int run(SiteDirectory dir) {
            String n = name(name);
            if (certPrincipalName == null && ttl == null && flags == null && serverName == null) {
                throw UserError.usage("nothing to set (expected: --cert-principal-name, --ttl, --flags or --server-name)");
            }
            Optional<String> principal = certPrincipalName == null ? null : principal(certPrincipalName);
            if (ttl != null && (ttl < -1 || ttl > 65536)) {
                throw UserError.usage("--ttl: " + ttl + " (expected: -1..65536 hours)");
            }
            Integer flagBits = flags == null ? null : switch (flags.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> 0;
                case "serverexclusiveconnect" -> OutlookProvider.FLAG_SERVER_EXCLUSIVE_CONNECT;
                default -> throw UserError.usage("--flags: '" + flags + "' (expected: None or ServerExclusiveConnect)");
            };
            OutlookProvider p = dir.provider(n).orElse(OutlookProvider.defaults(n));
            OutlookProvider changed = new OutlookProvider(n,
                    principal == null ? p.certPrincipalName() : principal,
                    serverName == null ? p.server() : Optional.of(serverName.trim()).filter(s -> !s.isEmpty()),
                    ttl == null ? p.ttlHours() : ttl,
                    flagBits == null ? p.rawFlags() : flagBits);
            dir.putProvider(changed);
            out().printf("Provider %s changed. Autodiscover answers with it at once; existing Outlook profiles pick it up "
                    + "at their next refresh.%n", n);
            return Anywhere.OK;
        }

        private static Optional<String> principal(String value) {
            String v = value.trim();
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (!v.regionMatches(true, 0, "msstd:", 0, 6) || v.length() == 6 || v.contains(" ")) {
                throw UserError.usage("--cert-principal-name: '" + value + "' (expected: msstd:<name in the certificate>, "
                        + "e.g. msstd:oa.frankysweb.org)");
            }
            return Optional.of("msstd:" + v.substring(6));
        }
    }
}
