package dev.droptop.source;

import dev.droptop.model.DropAggregator;

/**
 * A droptop stand-in for the kill -9 test: starts a {@link PerfBackend} session, prints
 * {@code pids=RECORD[,SCRIPT]} and waits to be killed (at most 60 s).
 */
public final class PerfChildMain {
    private PerfChildMain() {
    }

    public static void main(String[] args) throws Exception {
        LiveSession s = new LiveSession(new PerfBackend(), new Backend.Options(false, 1_000_000_000L),
                new DropAggregator(1_000_000_000L));
        s.start();
        PerfRun run = (PerfRun) s.running();
        System.out.println("pids=" + run.pids().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        System.out.flush();
        Thread.sleep(60_000);
        s.close();
    }
}
