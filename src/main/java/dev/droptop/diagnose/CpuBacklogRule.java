package dev.droptop.diagnose;

/** The per-CPU input backlog is full (CPU_BACKLOG), e.g. RPS or loopback/veth bursts. */
final class CpuBacklogRule extends SimpleRule {
    CpuBacklogRule() {
        super("cpu-backlog", Severity.CRITICAL, DropFacts.reasonOr("CPU_BACKLOG", "enqueue_to_backlog"));
    }

    @Override
    String summary() {
        return "CPU backlog full: packets queued to a CPU's input backlog faster than it processes them";
    }

    @Override
    String advice(DropFacts facts, long drops) {
        return "raise `sysctl -w net.core.netdev_max_backlog=10000` (default 1000); the 2nd column of "
                + "/proc/net/softnet_stat counts these drops per CPU; spread the load (RPS/RSS, "
                + "/sys/class/net/DEV/queues/rx-*/rps_cpus) or raise net.core.dev_weight";
    }
}
