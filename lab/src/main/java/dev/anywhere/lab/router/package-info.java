/**
 * The site's internet router and the optional middlebox: {@link dev.anywhere.lab.router.Router} relays TCP from the
 * public address to EX1 (DNAT) or, as faults, refuses, relays to the wrong host or answers with its own login page;
 * {@link dev.anywhere.lab.router.NginxMiddlebox} runs a real nginx with a generated stock or RPC over HTTP
 * configuration ({@link dev.anywhere.lab.router.NginxConfig}). Loopback only; lab use.
 */
package dev.anywhere.lab.router;
