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

    @Option(names = "--directory", paramLabel = "ldap[s]://HOST:PORT[,...]")
    String url = LabAddresses.defaultDirectoryUrl();

    @Option(names = "--bind-dn", paramLabel = "DN")
    String bindDn = SiteSeed.frankysweb("unused").serviceBindDn();

    @Option(names = "--bind-password-file", paramLabel = "FILE")
    Path passwordFile;

    @Option(names = "--bind-password-env", paramLabel = "VAR")
    String passwordEnv = DEFAULT_PASSWORD_ENV;

    /** The bind password; never printed. */
    String password() {
        if (passwordFile != null) {
            try {
                return Files.readAllLines(passwordFile).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw UserError.usage(CliText.local("directory.password-file-unreadable", "file", passwordFile, "detail", e.getMessage()));
            }
        }
        String value = System.getenv(passwordEnv);
        if (value == null || value.isEmpty()) {
            throw UserError.usage(CliText.local("directory.no-password", "variable", passwordEnv, "file", DirectoryCommand.SERVICE_PASSWORD_FILE));
        }
        return value;
    }

    /** The replicas given, nearest first. */
    List<URI> uris() {
        List<URI> out = new ArrayList<>();
        for (String one : url.split(",", -1)) {
            URI u = uri(one.trim());
            if (out.contains(u)) {
                throw UserError.usage(CliText.local("directory.url-twice", "url", one.trim()));
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
            throw UserError.usage(CliText.local("directory.url-bad", "url", url));
        }
        if (u.getScheme() == null || !(u.getScheme().equals("ldap") || u.getScheme().equals("ldaps")) || u.getHost() == null) {
            throw UserError.usage(CliText.local("directory.url-bad", "url", url));
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
