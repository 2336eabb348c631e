package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.system.HostFacts;
import java.nio.file.Path;

/**
 * A JVM that runs one backend until killed, for the kill -9 test:
 * {@code java -cp target/classes:target/test-classes dev.droptop.source.BackendHost PROJECT_DIR INTERVAL_MS}.
 * Prints {@code child PID} once bpftrace is started, then waits.
 */
public final class BackendHost {
    private BackendHost() {
    }

    public static void main(String[] args) throws Exception {
        BpftraceBackend backend = new BpftraceBackend(Scripts.in(Path.of(args[0])), HostFacts::read);
        long interval = Long.parseLong(args[1]) * 1_000_000L;
        DropAggregator agg = new DropAggregator(interval);
        Backend.Running run = backend.start(new Backend.Options(false, interval), agg, new Object());
        System.out.println("child " + ((ChildRun) run).pid());
        System.out.flush();
        run.awaitEnd();
        System.out.println("ended: " + run.failure());
    }
}
