package dev.droptop.diagnose;

/**
 * One diagnosis result.
 *
 * @param id stable identifier ({@code conntrack-table-full}), for scripts
 * @param severity how much it matters
 * @param summary one line naming the cause ("conntrack table full (likely)")
 * @param evidence what in the drops and the system state points to it
 * @param advice what to do: the sysctl or command, with a value where one can be computed
 * @param drops drops this finding explains (0 when it rests on system state only)
 */
public record Finding(String id, Severity severity, String summary, String evidence, String advice, long drops) {
}
