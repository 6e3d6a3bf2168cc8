/**
 * EX1's Autodiscover: the POX service that answers Outlook from the directory ({@link
 * dev.anywhere.server.autodiscover.AutodiscoverService}, served by the gateway at {@code /autodiscover/autodiscover.xml})
 * and the port-80 listener of the HTTP redirect method ({@link dev.anywhere.server.autodiscover.AutodiscoverRedirectServer}).
 *
 * @see [MS-OXDSCLI] 3.2 Server Details
 * @see [MS-OXDISCO] 3.1.5.2 HTTP redirect method
 */
package dev.anywhere.server.autodiscover;
