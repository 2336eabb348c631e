package dev.droptop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "Did you mean" for typos picocli finds no suggestion for ({@code --fromat}, {@code lab nta}): the
 * options or subcommands of the command within a small edit distance (transpositions count as one edit).
 */
final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> optionsLike(List<String> unmatched, CommandSpec spec) {
        if (unmatched.isEmpty()) {
            return Optional.empty();
        }
        if (!unmatched.get(0).startsWith("-")) {
            return commandsLike(unmatched.get(0), spec);
        }
        String word = unmatched.get(0);
        int eq = word.indexOf('=');
        if (eq > 0) {
            word = word.substring(0, eq);
        }
        List<String> near = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (OptionSpec o : spec.options()) {
            for (String name : o.names()) {
                int d = distance(word, name);
                if (d > Math.max(1, name.length() / 4)) {
                    continue;
                }
                if (d < best) {
                    best = d;
                    near.clear();
                }
                if (d == best && !near.contains(o.longestName())) {
                    near.add(o.longestName());
                }
            }
        }
        return near.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", near));
    }

    /** Subcommands one or two edits away ({@code lab nta}), as picocli would name them. */
    private static Optional<String> commandsLike(String word, CommandSpec spec) {
        List<String> near = new ArrayList<>();
        for (String name : spec.subcommands().keySet()) {
            if (distance(word, name) <= Math.max(1, name.length() / 3)) {
                near.add(spec.qualifiedName() + " " + name);
            }
        }
        return near.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", near));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
