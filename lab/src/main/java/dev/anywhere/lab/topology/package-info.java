/**
 * The lab's site as data: {@link dev.anywhere.lab.topology.Topology} (hosts, zones, router rules, certificates, users,
 * middlebox and faults, read from and written to JSON), the port policy ({@link dev.anywhere.lab.topology.PortPolicy},
 * {@link dev.anywhere.lab.topology.PortMap}) and the users' generated passwords
 * ({@link dev.anywhere.lab.topology.Passwords}). Scenarios are topologies with faults; docs/lab.md describes the file.
 */
package dev.anywhere.lab.topology;
