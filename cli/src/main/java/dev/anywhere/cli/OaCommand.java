package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Outlook Anywhere administration, with the Exchange 2010 cmdlets' parameters, against the directory. */
@Command(name = "oa", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.oa",
        subcommands = {OaCommand.Enable.class, OaCommand.Change.class, OaCommand.Get.class, OaCommand.Disable.class})
final class OaCommand {

    /** -ClientAuthenticationMethod and -IISAuthenticationMethods, or -DefaultAuthenticationMethod, never both. */
    static final class AuthOptions {
        @Option(names = "--client-auth", paramLabel = "METHOD")
        String clientAuth;

        @Option(names = "--iis-auth", paramLabel = "LIST")
        String iisAuth;

        @Option(names = "--default-auth", paramLabel = "METHOD")
        String defaultAuth;

        boolean any() {
            return clientAuth != null || iisAuth != null || defaultAuth != null;
        }

        /** Validates the combination; Exchange's parameter sets make -DefaultAuthenticationMethod exclusive. */
        void check() {
            if (defaultAuth != null && (clientAuth != null || iisAuth != null)) {
                throw UserError.usage(CliText.ofLocale().get("oa.default-auth-combined"));
            }
        }

        ClientAuthenticationMethod client() {
            return defaultAuth != null ? Inputs.clientAuth("--default-auth", defaultAuth)
                    : clientAuth == null ? null : Inputs.clientAuth("--client-auth", clientAuth);
        }

        java.util.Set<AuthenticationMethod> iis() {
            return defaultAuth != null ? EnumSet.of(client().method().orElseThrow())
                    : iisAuth == null ? null : Inputs.iisAuth("--iis-auth", iisAuth);
        }
    }

    abstract static class DirectoryCommandBase implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** The texts in the JVM's language (oa has no --lang). */
        final CliText text = CliText.ofLocale();

        @Mixin
        DirectoryOptions directory;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws Exception {
            try (SiteDirectory dir = directory.open()) {
                return run(dir);
            } catch (DirectoryException e) {
                throw UserError.unavailable(text.get("oa.directory-failed", java.util.Map.of("url", directory.url, "detail", DirectoryProblemText.say(e, text))));
            }
        }

        abstract int run(SiteDirectory dir) throws Exception;

        ExchangeServer server(SiteDirectory dir, String name) {
            return dir.server(name).filter(ExchangeServer::exchange).orElseThrow(() -> UserError.usage(text.get("oa.server-unknown",
                    java.util.Map.of("name", name, "names", dir.servers().stream().filter(ExchangeServer::exchange)
                            .map(ExchangeServer::name).collect(Collectors.joining(", "))))));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true)
    static final class Enable extends DirectoryCommandBase {
        @Option(names = "--server", required = true, paramLabel = "NAME")
        String server;

        @Option(names = "--external-hostname", required = true, paramLabel = "HOST")
        String externalHostname;

        @Mixin
        AuthOptions auth;

        @Option(names = "--ssl-offloading")
        boolean sslOffloading;

        @Override
        int run(SiteDirectory dir) {
            String host = Inputs.hostname("--external-hostname", externalHostname);
            auth.check();
            if (auth.defaultAuth == null && auth.clientAuth == null) {
                throw UserError.usage(text.get("oa.client-auth-missing"));
            }
            ClientAuthenticationMethod client = auth.client();
            java.util.Set<AuthenticationMethod> iis = auth.iis();
            if (iis == null) {
                // Exchange 2010: -ClientAuthenticationMethod without -IISAuthenticationMethods sets IIS to Basic and NTLM.
                iis = EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM);
            }
            ExchangeServer s = server(dir, server);
            if (dir.rpcVirtualDirectory(s.name()).isPresent()) {
                throw UserError.usage(text.get("oa.already-enabled", java.util.Map.of("server", s.name())));
            }
            RpcHttpVirtualDirectory v = new RpcHttpVirtualDirectory(s.name(), 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(host).withExternalClientAuthenticationMethod(client)
                    .withIisAuthenticationMethods(iis).withSslOffloading(sslOffloading);
            dir.putRpcVirtualDirectory(v);
            out().println(text.get("oa.enabled", java.util.Map.of("server", s.name(), "host", host, "client", client.cmdletName(), "iis", names(iis),
                    "offloading", text.get(sslOffloading ? "oa.on" : "oa.off"))));
            out().println(text.get("oa.enabled.when"));
            return Anywhere.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true)
    static final class Change extends DirectoryCommandBase {
        @Option(names = "--server", required = true, paramLabel = "NAME")
        String server;

        @Option(names = "--external-hostname", paramLabel = "HOST")
        String externalHostname;

        @Mixin
        AuthOptions auth;

        @Option(names = "--ssl-offloading", arity = "1", paramLabel = "true|false")
        String sslOffloading;

        @Override
        int run(SiteDirectory dir) {
            if (externalHostname == null && !auth.any() && sslOffloading == null) {
                throw UserError.usage(text.get("oa.nothing-to-set"));
            }
            String host = externalHostname == null ? null : Inputs.hostname("--external-hostname", externalHostname);
            Boolean offload = sslOffloading == null ? null : Inputs.bool("--ssl-offloading", sslOffloading);
            auth.check();
            ClientAuthenticationMethod client = auth.client();
            java.util.Set<AuthenticationMethod> iis = auth.iis();
            ExchangeServer s = server(dir, server);
            RpcHttpVirtualDirectory v = dir.rpcVirtualDirectory(s.name()).orElseThrow(() -> UserError.usage(
                    text.get("oa.not-enabled.set", java.util.Map.of("server", s.name()))));
            if (host != null) {
                v = v.withExternalHostname(host);
            }
            if (client != null) {
                v = v.withExternalClientAuthenticationMethod(client);
            }
            if (iis != null) {
                v = v.withIisAuthenticationMethods(iis);
            }
            if (offload != null) {
                v = v.withSslOffloading(offload);
            }
            dir.putRpcVirtualDirectory(v);
            out().println(text.get("oa.changed", java.util.Map.of("server", s.name())));
            return Anywhere.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true)
    static final class Disable extends DirectoryCommandBase {
        @Option(names = "--server", required = true, paramLabel = "NAME")
        String server;

        @Override
        int run(SiteDirectory dir) {
            ExchangeServer s = server(dir, server);
            if (dir.rpcVirtualDirectory(s.name()).isEmpty()) {
                throw UserError.usage(text.get("oa.not-enabled", java.util.Map.of("server", s.name())));
            }
            dir.removeRpcVirtualDirectory(s.name());
            out().println(text.get("oa.disabled", java.util.Map.of("server", s.name())));
            return Anywhere.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true)
    static final class Get extends DirectoryCommandBase {
        @Option(names = "--server", paramLabel = "NAME")
        String server;

        @Option(names = "--data-dir", paramLabel = "DIR")
        Path dataDir;

        @Option(names = "--format", paramLabel = "table|json")
        String format = "table";

        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @Override
        int run(SiteDirectory dir) throws IOException {
            if (!format.equals("table") && !format.equals("json")) {
                throw UserError.usage(CliText.local("format-bad", "format", format, "expected", CliText.local("format.table-or-json")));
            }
            List<ExchangeServer> servers = server == null
                    ? dir.servers().stream().filter(ExchangeServer::exchange).toList() : List.of(server(dir, server));
            Optional<AppliedConfigFile.Snapshot> applied = dataDir == null ? Optional.empty() : readApplied(dataDir);
            ArrayNode rows = JSON.createArrayNode();
            for (ExchangeServer s : servers) {
                ObjectNode row = rows.addObject();
                row.put("Server", s.name());
                Optional<RpcHttpVirtualDirectory> v = dir.rpcVirtualDirectory(s.name());
                row.put("Enabled", v.isPresent());
                v.ifPresent(vd -> {
                    row.put("ExternalHostname", vd.externalHostname().orElse(""));
                    row.put("ExternalClientsRequireSsl", vd.externalClientsRequireSsl());
                    row.put("ClientAuthenticationMethod", vd.externalClientAuthenticationMethod().cmdletName());
                    row.put("IISAuthenticationMethods", names(vd.iisAuthenticationMethods()));
                    row.put("SSLOffloading", vd.sslOffloading());
                });
                applied.filter(a -> a.config().server().equalsIgnoreCase(s.name())).ifPresent(a -> {
                    ObjectNode ap = row.putObject("Applied");
                    ap.put("Enabled", a.config().enabled());
                    ap.put("Authentication", a.config().authenticationInOrder().stream().map(HttpAuthScheme::token)
                            .collect(Collectors.joining(", ")));
                    ap.put("RequireSsl", a.config().requireSsl());
                    ap.put("ValidPorts", a.config().validPorts().toString());
                    ap.put("Generation", a.generation());
                    ap.put("AppliedAt", a.appliedAt().toString());
                    ap.put("EditedByHand", !a.writtenByConfigurator());
                });
            }
            if (format.equals("json")) {
                out().println(JSON.writeValueAsString(rows));
            } else {
                printTable(rows);
            }
            return Anywhere.OK;
        }

        private static Optional<AppliedConfigFile.Snapshot> readApplied(Path dataDir) throws IOException {
            try {
                return new AppliedConfigFile(dataDir).read();
            } catch (AppliedConfigFile.InvalidConfigException e) {
                throw UserError.unavailable(CliText.local("oa.applied-invalid", "detail", e.getMessage()));
            }
        }

        private void printTable(ArrayNode rows) {
            for (var row : rows) {
                List<String[]> lines = new ArrayList<>();
                row.fields().forEachRemaining(f -> {
                    if (f.getValue().isObject()) {
                        f.getValue().fields().forEachRemaining(g -> lines.add(new String[] {"Applied." + g.getKey(), g.getValue().asText()}));
                    } else {
                        lines.add(new String[] {f.getKey(), f.getValue().asText()});
                    }
                });
                int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
                for (String[] l : lines) {
                    out().printf("%-" + width + "s : %s%n", l[0], l[1]);
                }
                out().println();
            }
        }
    }

    static String names(java.util.Set<AuthenticationMethod> methods) {
        return EnumSet.copyOf(methods).stream().map(AuthenticationMethod::cmdletName).collect(Collectors.joining(", "));
    }
}
