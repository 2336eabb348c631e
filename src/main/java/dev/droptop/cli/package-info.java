/**
 * The command line: one command class per verb, wiring only (options record, one library call,
 * exit code). Errors are mapped once, in {@link dev.droptop.cli.Main}: bad usage or unreadable
 * input 2, runtime failure 1; a closed stdout pipe ends quietly. Layer 4: may import anything.
 */
package dev.droptop.cli;
