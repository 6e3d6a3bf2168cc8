/** Network plumbing shared by the gateway, the RPC endpoints and the lab's router: which Netty transport runs. */
package dev.anywhere.server.net;
