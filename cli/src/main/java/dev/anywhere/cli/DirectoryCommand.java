package dev.anywhere.cli;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.SiteSeed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** DC1's directory. */
@Command(name = "directory", mixinStandardHelpOptions = true, description = "The site directory (DC1).",
        subcommands = DirectoryCommand.Serve.class)
final class DirectoryCommand {

    static final String SERVICE_PASSWORD_FILE = "svc-anywhere.password";
    static final String USER_PASSWORD_FILE = "users.password";

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the embedded directory, seeded with the "
            + "frankysweb site on first start; every change is kept in DIR and survives a restart.")
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the directory keeps its data.")
        Path dataDir;

        @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Where to listen (default: ${DEFAULT-VALUE}).")
        String listen = LabAddresses.DC1 + ":" + LabAddresses.port(389);

        @Override
        public Integer call() throws Exception {
            InetSocketAddress at = Roles.address("--listen", listen);
            Files.createDirectories(dataDir);
            String service = secret(dataDir.resolve(SERVICE_PASSWORD_FILE));
            String users = secret(dataDir.resolve(USER_PASSWORD_FILE));
            java.util.Map<String, String> passwords = new java.util.HashMap<>();
            SiteSeed.USERS.forEach(u -> passwords.put(u, users));
            passwords.put(SiteSeed.SERVICE_ACCOUNT, service);
            DirectoryServer server = Roles.listening("directory", listen, at.getPort(), () -> DirectoryServer.start(dataDir, at.getAddress(), at.getPort(),
                    new SiteSeed(SiteSeed.FRANKYSWEB, passwords, false)));
            // Seeded as a fresh organisation: Outlook Anywhere is off until 'anywhere oa enable'.
            DirectoryServer.Info info = server.info();
            var out = spec.commandLine().getOut();
            out.printf("Directory %s serving %s%s.%n", info.url(), info.baseDn(), info.seededNow() ? " (seeded the frankysweb site)" : "");
            out.printf("  service bind: %s, password in %s%n", info.serviceBindDn(), dataDir.resolve(SERVICE_PASSWORD_FILE));
            out.printf("  mailbox users %s, password in %s%n", SiteSeed.USERS.subList(1, SiteSeed.USERS.size()),
                    dataDir.resolve(USER_PASSWORD_FILE));
            out.printf("  data: %s. Ctrl-C stops it.%n", info.dataFile());
            out.flush();
            Roles.runUntilInterrupted(server);
            return Anywhere.OK;
        }

        /** Reads a password kept in the data directory, creating a random one (readable by the owner only) on first start. */
        static String secret(Path file) throws IOException {
            if (Files.exists(file)) {
                return Files.readAllLines(file).get(0).trim();
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String value = "Aw1-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n");
            return value;
        }
    }
}
