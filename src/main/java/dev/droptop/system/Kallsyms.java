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

    /** System property naming the running kernel's kallsyms (tests point it elsewhere to hide it). */
    public static final String PATH_PROPERTY = "droptop.kallsyms";

    private final long[] addresses;
    private final String[] names;
    private long text;
    private long textEnd;

    private Kallsyms(long[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    /** The running kernel's kallsyms: /proc/kallsyms, or the {@value #PATH_PROPERTY} property. */
    public static Path runningPath() {
        return Path.of(System.getProperty(PATH_PROPERTY, "/proc/kallsyms"));
    }

    /** Reads the running kernel's table; an unreadable file gives an empty table. */
    public static Kallsyms load() {
        return load(runningPath());
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
        long text = 0;
        long stext = 0;
        long etext = 0;
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
            String sym = line.substring(sp2 + 1, end < 0 ? line.length() : end).trim();
            if (type == 't' && sym.length() <= 6 && sym.startsWith("_")) {
                switch (sym) {
                    case "_text": text = a; break;
                    case "_stext": stext = a; break;
                    case "_etext": etext = a; break;
                    default: break;
                }
            }
            if (n == addr.length) {
                addr = Arrays.copyOf(addr, n * 2);
                name = Arrays.copyOf(name, n * 2);
            }
            addr[n] = a;
            name[n] = sym;
            n++;
        }
        Kallsyms k = sorted(Arrays.copyOf(addr, n), Arrays.copyOf(name, n));
        k.text = text != 0 ? text : stext;
        k.textEnd = etext;
        return k;
    }

    /**
     * Writes the table in /proc/kallsyms form (text symbols only, with {@code _text}/{@code _etext} when
     * known), for tools that read it, e.g. perf's build-id cache.
     */
    public void writeTo(java.io.Writer w) throws IOException {
        if (text != 0 && !contains("_text")) {
            w.write(String.format("%016x T _text%n", text));
        }
        for (int i = 0; i < addresses.length; i++) {
            w.write(String.format("%016x t %s%n", addresses[i], names[i]));
        }
    }

    private boolean contains(String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The address of {@code _text} (else {@code _stext}), 0 when the table does not have it. */
    public long text() {
        return text;
    }

    /** {@code _etext - _text}, the kernel text size (differs between builds), 0 when unknown. */
    public long textSize() {
        return text != 0 && etext() != 0 ? etext() - text : 0;
    }

    private long etext() {
        return textEnd;
    }

    /**
     * This table for addresses of another boot of the same build: {@code address - traceText + text()}
     * (KASLR moves the whole kernel text by one offset).
     */
    public SymbolResolver relocated(long traceText) {
        long delta = text - traceText;
        if (traceText == 0 || text == 0 || delta == 0) {
            return this;
        }
        return address -> resolve(address + delta);
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
