package dev.anywhere.bench.load;

import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.emsmdb.AddressBookMailboxes;
import dev.anywhere.server.emsmdb.EmsmdbService;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * EX1's store endpoint for {@code bench logon}, in a JVM of its own so its CPU is its own: EMSMDB (EcDoConnectEx,
 * EcDoRpcExt2 with RopLogon, EcDoDisconnect) answering from the address-book snapshot of the directory, and NTLM binds
 * verified with the users' NT hashes read through the service bind, wired as the lab wires EX1. Arguments:
 * {@code <ldapUrl> <bindDn> <bindPasswordFile> <port>} (the password from a file, never the command line). Prints
 * {@code LISTENING <port>} once the first snapshot is in, then answers {@code HEAP} until {@code QUIT} (see
 * {@link ChildJvm}).
 */
public final class LogonEndpointsMain {

    private LogonEndpointsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LogonEndpointsMain <ldapUrl> <bindDn> <bindPasswordFile> <port>");
            System.exit(2);
        }
        String password = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).trim();
        LdapSiteDirectory directory = LdapSiteDirectory.open(LdapSettings.of(URI.create(args[0]), args[1], password, SiteSeed.FRANKYSWEB));
        AddressBookService addressBook = AddressBookService.start(new LdapAddressBookLoader(directory), Duration.ofSeconds(10),
                Duration.ofMinutes(1));
        addressBook.refresh().get(30, java.util.concurrent.TimeUnit.SECONDS); // logons before the first snapshot would fail
        InterfaceRegistry interfaces = new InterfaceRegistry().register(new EmsmdbService(EmsmdbService.Options.exchange2010("EX1", ""),
                new AddressBookMailboxes(addressBook::current), Clock.systemUTC()).asInterface());
        RpcEndpoints endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(Integer.parseInt(args[3]))).withExtra(interfaces)
                .withAuthentication(DceAuthentication.of(Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB),
                        new DirectoryCredentials(directory)::ntHash)));
        ChildJvm.listenAndServe(endpoints.ports().get(0), endpoints, addressBook, directory);
    }
}
