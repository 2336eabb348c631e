package dev.droptop.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /proc/net/stat/nf_conntrack}: a header of column names, then one row of hex counters per
 * CPU. Columns differ across kernels, so they are summed by name, e.g. on 6.18:
 * <pre>
 * entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop ...
 * 000001f4  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000190 ...
 * </pre>
 * {@code entries} is the same global count on every row, so it is taken once, not summed.
 */
public final class ConntrackStats {
    static final String FILE = "stat/nf_conntrack";

    private ConntrackStats() {
    }

    /** Column name → sum over CPUs, in header order. */
    public static Map<String, Long> read(ProcFs fs) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(fs.net(FILE), StandardCharsets.US_ASCII)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException(fs.net(FILE) + ": empty");
            }
            String[] names = header.trim().split("\\s+");
            Map<String, Long> sums = new LinkedHashMap<>();
            for (String n : names) {
                sums.put(n, 0L);
            }
            for (String line; (line = r.readLine()) != null; ) {
                addRow(names, line.trim().split("\\s+"), sums, fs);
            }
            return sums;
        }
    }

    private static void addRow(String[] names, String[] cells, Map<String, Long> sums, ProcFs fs) throws IOException {
        if (cells.length == 1 && cells[0].isEmpty()) {
            return;
        }
        if (cells.length != names.length) {
            throw new IOException(fs.net(FILE) + ": a row has " + cells.length + " cells for " + names.length
                    + " columns");
        }
        for (int i = 0; i < names.length; i++) {
            long v;
            try {
                v = Long.parseUnsignedLong(cells[i], 16);
            } catch (NumberFormatException e) {
                throw new IOException(fs.net(FILE) + ": not hex: " + cells[i]);
            }
            sums.merge(names[i], v, names[i].equals("entries") ? Math::max : Long::sum);
        }
    }
}
