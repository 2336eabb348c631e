package dev.droptop.system;

import dev.droptop.model.SymbolResolver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kernel text symbols from {@code /proc/kallsyms} as a sorted address array, for binary search:
 * {@code ffffffff82094270 T tcp_v4_rcv} resolves {@code 0xffffffff82094309} to {@code tcp_v4_rcv+0x99}.
 * Module symbols ({@code ... t nf_nat_inet_fn [nf_nat]}) keep their name without the module.
 * When kallsyms shows zero addresses (not root, kptr_restrict), nothing resolves.
 */
public final class Kallsyms implements SymbolResolver {
    /** Beyond this distance from a symbol's start an address is not attributed to it. */
    private static final long MAX_SYMBOL_SIZE = 1 << 20;

    private final long[] addresses;
    private final String[] names;

    private Kallsyms(long[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    /** Reads the running kernel's table; an unreadable file gives an empty table. */
    public static Kallsyms load() {
        return load(Path.of("/proc/kallsyms"));
    }

    public static Kallsyms load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            return new Kallsyms(new long[0], new String[0]);
        }
    }

    /** Lazily loads the running kernel's table on first use. */
    public static SymbolResolver lazy() {
        return new SymbolResolver() {
            private Kallsyms table;

            @Override
            public Resolved resolve(long address) {
                if (table == null) {
                    table = load();
                }
                return table.resolve(address);
            }
        };
    }

    public static Kallsyms read(InputStream in) throws IOException {
        long[] addr = new long[1 << 16];
        String[] name = new String[1 << 16];
        int n = 0;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line; (line = r.readLine()) != null; ) {
            int sp1 = line.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp2 < 0 || sp2 != sp1 + 2) {
                continue;
            }
            char type = Character.toLowerCase(line.charAt(sp1 + 1));
            if (type != 't' && type != 'w') {
                continue;
            }
            long a;
            try {
                a = Long.parseUnsignedLong(line.substring(0, sp1), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (a == 0) {
                continue;
            }
            int end = line.indexOf('\t', sp2 + 1);
            if (n == addr.length) {
                addr = Arrays.copyOf(addr, n * 2);
                name = Arrays.copyOf(name, n * 2);
            }
            addr[n] = a;
            name[n] = line.substring(sp2 + 1, end < 0 ? line.length() : end).trim();
            n++;
        }
        return sorted(Arrays.copyOf(addr, n), Arrays.copyOf(name, n));
    }

    private static Kallsyms sorted(long[] addr, String[] name) {
        Integer[] order = new Integer[addr.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(addr[x], addr[y]));
        long[] a = new long[addr.length];
        String[] s = new String[addr.length];
        for (int i = 0; i < order.length; i++) {
            a[i] = addr[order[i]];
            s[i] = name[order[i]];
        }
        return new Kallsyms(a, s);
    }

    public int size() {
        return addresses.length;
    }

    @Override
    public Resolved resolve(long address) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        long off = address - addresses[found];
        if (off < 0 || off >= MAX_SYMBOL_SIZE) {
            return null;
        }
        return new Resolved(names[found], (int) off);
    }
}
