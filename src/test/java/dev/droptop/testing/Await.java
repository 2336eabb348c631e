package dev.droptop.testing;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition instead of sleeping for a guessed time: polls {@code condition} every 20 ms
 * until it holds or {@code timeoutMillis} pass (a generous bound for a busy machine, not a
 * measurement), and fails with {@code what} when it never held.
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Returns once {@code condition} holds; throws AssertionError naming {@code what} after the timeout. */
    public static void until(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        if (!holds(timeoutMillis, condition)) {
            throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
        }
    }

    /** Whether {@code condition} came to hold within {@code timeoutMillis} (for callers that assert themselves). */
    public static boolean holds(long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
