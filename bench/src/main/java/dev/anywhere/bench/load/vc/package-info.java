/**
 * A lean RPC over HTTP v2 load client for the benchmark: {@link dev.anywhere.bench.load.vc.LeanClient} (one shared
 * event loop group and the settings) and {@link dev.anywhere.bench.load.vc.LeanVirtualConnection} (IN and OUT channel,
 * CONN/A1..C2, bind, pipelined calls under [MS-RPCH] flow control), so that a load run measures the gateway rather
 * than the client. The protocol is the shared {@link dev.anywhere.rpc.rpch.client.ClientEngine}, which the analyzer's
 * full, diagnosable {@code VirtualConnection} runs too; this package is its lean I/O.
 */
package dev.anywhere.bench.load.vc;
