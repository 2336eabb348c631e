package dev.droptop.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kallsyms} and {@code --archive}: kernel symbols for traces from another machine or boot. */
final class SymbolOptions {
    @Option(names = "--kallsyms", paramLabel = "FILE",
            description = "Kernel symbols for raw addresses: a copy of the recording host's /proc/kallsyms")
    Path kallsyms;

    @Option(names = "--archive", paramLabel = "FILE",
            description = "Kernel symbols from a perf archive bundle (perf archive perf.data on the recording host:"
                    + " perf.data.tar.bz2), matched by build-id")
    Path archive;
}
