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
@Command(name = "directory", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.directory",
        subcommands = DirectoryCommand.Serve.class)
final class DirectoryCommand {

    static final String SERVICE_PASSWORD_FILE = "svc-anywhere.password";
    static final String USER_PASSWORD_FILE = "users.password";

    @Command(name = "serve", mixinStandardHelpOptions = true)
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR")
        Path dataDir;

        @Option(names = "--listen", paramLabel = "ADDR:PORT")
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
            out.println(CliText.local("directory.started", "url", info.url(), "base", info.baseDn(), "seeded",
                    info.seededNow() ? CliText.local("directory.seeded") : ""));
            out.println(CliText.local("directory.service-bind", "dn", info.serviceBindDn(), "file", dataDir.resolve(SERVICE_PASSWORD_FILE)));
            out.println(CliText.local("directory.users", "users", SiteSeed.USERS.subList(1, SiteSeed.USERS.size()), "file",
                    dataDir.resolve(USER_PASSWORD_FILE)));
            out.println(CliText.local("directory.data", "file", info.dataFile()));
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
