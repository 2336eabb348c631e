package dev.droptop.cli;

import dev.droptop.report.ReasonText;
import dev.droptop.system.HostInfo;
import dev.droptop.system.TracepointFormat;
import dev.droptop.run.UserError;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code droptop explain REASON}: what a kernel drop reason means, its causes and what to check. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain a kernel drop reason: what it means, its usual causes and what to check.",
                "REASON is a name with or without SKB_DROP_REASON_ (any case) or a number of the running kernel."},
        footer = {"", "Examples:", "  droptop explain NEIGH_FAILED", "  droptop explain skb_drop_reason_socket_filter",
                "  droptop explain 5"})
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REASON", description = "The reason to explain")
    String reason;

    @Override
    public Integer call() {
        String kernel = HostInfo.kernelRelease();
        List<String> lines = ReasonText.explain(reason, TracepointFormat.runningKernelReasons(), kernel)
                .orElseThrow(() -> new UserError(ReasonText.notFound(reason, kernel)));
        lines.forEach(System.out::println);
        return Main.OK;
    }
}
