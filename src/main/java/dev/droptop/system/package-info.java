/**
 * Readers of the running system: /proc, /sys, tracefs format files, the kernel log; JNA calls
 * (geteuid, setns). Each reader takes a root path so tests can point it at recorded copies.
 * Layer 1: imports {@code dev.droptop.model} and JNA only.
 */
package dev.droptop.system;
