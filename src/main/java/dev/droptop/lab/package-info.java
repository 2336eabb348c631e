/**
 * The lab: builds the case study's topology (client, nat, server network namespaces joined by veth
 * in 198.18.0.0/15, nftables DNAT + masquerade in nat, or plain routing for {@code ip4base}), runs a
 * built-in server and CPS load generator on threads that entered those namespaces ({@code setns(2)}
 * through {@link dev.droptop.system.Netns}), captures drops with the default backend and samples the
 * nat namespace's conntrack counters meanwhile. Scenario names follow CSIT
 * ({@code ethip4tcp-nat44ed-h1024-p63-s64512-cps}). Every netns and table is named
 * {@code droptop-lab-*}; a changed nf_conntrack_max is recorded in {@link ConntrackMax#STATE} first, so
 * {@link Cleanup} can undo a run that was killed.
 * Imports {@code dev.droptop.source}, {@code system}, {@code model} and {@code java.*} only.
 */
package dev.droptop.lab;
