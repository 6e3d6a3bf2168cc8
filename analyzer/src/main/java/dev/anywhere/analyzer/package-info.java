/**
 * The client side of Outlook Anywhere as Outlook does it, and the analyzer built on it: virtual connections through
 * an RPC proxy, rpcping, and (to come) the check tree with findings.
 */
package dev.anywhere.analyzer;
