/**
 * The referral service (RFR, [MS-OXABREF]): which server answers NSPI, and the FQDN of a mailbox server named by
 * its DN. Served by the RPC endpoints to authenticated callers only.
 */
package dev.anywhere.server.rfr;
