package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.ReplicatedSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How a command reaches the directory (DC1): any LDAP server that carries the schema. */
final class DirectoryOptions {

    static final String DEFAULT_PASSWORD_ENV = "ANYWHERE_BIND_PASSWORD";

    @Option(names = "--directory", paramLabel = "ldap[s]://HOST:PORT[,...]",
            description = "The directory to use (default: ${DEFAULT-VALUE}, DC1 of the lab); replicas of one directory "
                    + "separated by commas, nearest first: the next is used while the one in use cannot be reached, the "
                    + "nearest again once it is back and has caught up.")
    String url = LabAddresses.defaultDirectoryUrl();

    @Option(names = "--bind-dn", paramLabel = "DN", description = "Who to bind as (default: ${DEFAULT-VALUE}).")
    String bindDn = SiteSeed.frankysweb("unused").serviceBindDn();

    @Option(names = "--bind-password-file", paramLabel = "FILE",
            description = "A file holding the bind password (its first line).")
    Path passwordFile;

    @Option(names = "--bind-password-env", paramLabel = "VAR",
            description = "An environment variable holding the bind password (default: ${DEFAULT-VALUE}).")
    String passwordEnv = DEFAULT_PASSWORD_ENV;

    /** The bind password; never printed. */
    String password() {
        if (passwordFile != null) {
            try {
                return Files.readAllLines(passwordFile).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw UserError.usage("--bind-password-file: cannot read " + passwordFile + " (" + e.getMessage() + ")");
            }
        }
        String value = System.getenv(passwordEnv);
        if (value == null || value.isEmpty()) {
            throw UserError.usage("no directory password: set " + passwordEnv + " or use --bind-password-file "
                    + "(the embedded directory writes it to <data-dir>/" + DirectoryCommand.SERVICE_PASSWORD_FILE + ")");
        }
        return value;
    }

    /** The replicas given, nearest first. */
    List<URI> uris() {
        List<URI> out = new ArrayList<>();
        for (String one : url.split(",", -1)) {
            URI u = uri(one.trim());
            if (out.contains(u)) {
                throw UserError.usage("--directory: '" + one.trim() + "' given twice (expected: each replica once)");
            }
            out.add(u);
        }
        return out;
    }

    private static URI uri(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--directory: '" + url + "' (expected: ldap://host:port or ldaps://host:port)");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("ldap") || u.getScheme().equals("ldaps")) || u.getHost() == null) {
            throw UserError.usage("--directory: '" + url + "' (expected: ldap://host:port or ldaps://host:port)");
        }
        return u;
    }

    /** Opens the directory (over its replicas when several are given); connections are made on first use. */
    SiteDirectory open() {
        List<URI> uris = uris();
        String password = password();
        List<LdapSiteDirectory> replicas = new ArrayList<>();
        for (URI u : uris) {
            replicas.add(LdapSiteDirectory.open(LdapSettings.of(u, bindDn, password, SiteSeed.FRANKYSWEB)));
        }
        return replicas.size() == 1 ? replicas.get(0)
                : ReplicatedSiteDirectory.of(replicas, ReplicatedSiteDirectory.DEFAULT_PROBE_INTERVAL);
    }
}
