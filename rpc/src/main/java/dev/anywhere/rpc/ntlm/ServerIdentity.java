package dev.anywhere.rpc.ntlm;

import java.util.ArrayList;
import java.util.List;

/**
 * Who the server says it is in its CHALLENGE_MESSAGE TargetInfo. impacket takes the RPC server name of an
 * {@code ncacn_http} binding without a host from {@link #nbComputerName()}.
 *
 * @param nbComputerName MsvAvNbComputerName, e.g. EX1
 * @param nbDomainName MsvAvNbDomainName and the TargetName, e.g. FRANKYSWEB
 * @param dnsComputerName MsvAvDnsComputerName, e.g. ex1.frankysweb.local; empty to omit
 * @param dnsDomainName MsvAvDnsDomainName, e.g. frankysweb.local; empty to omit
 * @param dnsTreeName MsvAvDnsTreeName, e.g. frankysweb.local; empty to omit
 * @see [MS-NLMP] 3.2.5.1.1 Server Receives a NEGOTIATE_MESSAGE from the Client
 */
public record ServerIdentity(String nbComputerName, String nbDomainName, String dnsComputerName,
        String dnsDomainName, String dnsTreeName) {

    /** Requires the two NetBIOS names. */
    public ServerIdentity {
        if (nbComputerName.isEmpty() || nbDomainName.isEmpty()) {
            throw new IllegalArgumentException("netbios names: empty (expected: a computer and a domain name)");
        }
    }

    /** The AV pairs for these names, in the order Windows sends them, without a timestamp. */
    TargetInfo targetInfo() {
        List<AvPair> pairs = new ArrayList<>();
        pairs.add(AvPair.ofString(AvId.MSV_AV_NB_DOMAIN_NAME, nbDomainName));
        pairs.add(AvPair.ofString(AvId.MSV_AV_NB_COMPUTER_NAME, nbComputerName));
        if (!dnsDomainName.isEmpty()) {
            pairs.add(AvPair.ofString(AvId.MSV_AV_DNS_DOMAIN_NAME, dnsDomainName));
        }
        if (!dnsComputerName.isEmpty()) {
            pairs.add(AvPair.ofString(AvId.MSV_AV_DNS_COMPUTER_NAME, dnsComputerName));
        }
        if (!dnsTreeName.isEmpty()) {
            pairs.add(AvPair.ofString(AvId.MSV_AV_DNS_TREE_NAME, dnsTreeName));
        }
        return TargetInfo.of(pairs);
    }
}
