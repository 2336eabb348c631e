package dev.droptop.model;

/**
 * What a drop is counted under: where the kernel freed the skb (symbol + offset), why (the
 * {@code skb_drop_reason} name, or the raw number when no name is known), the L3 protocol
 * (ethertype) and, when the backend knows them, the network namespace inode and device name.
 *
 * <p>Strings come from a {@link SymbolTable}, so equal keys share their string instances.
 */
public record DropKey(String symbol, int offset, String reason, int protocol, long netns, String device) {
    /** The reason of a trace that carries none (kernels before 5.17, old stap scripts). */
    public static final String NO_REASON = "";
    public static final int NO_OFFSET = -1;
    public static final int NO_PROTOCOL = -1;

    public DropKey {
        if (symbol == null || reason == null || device == null) {
            throw new NullPointerException("DropKey fields must not be null");
        }
    }

    /**
     * Written out, with the generated record's formula (so hash maps iterate as before): the generated
     * methods are bootstrapped through method handles on first use (~100 classes spun at every start,
     * and DropKey is the first hash key a report meets) and are slow until the JIT has compiled them;
     * keys are looked up once per drop.
     */
    @Override
    public int hashCode() {
        int h = symbol.hashCode();
        h = 31 * h + offset;
        h = 31 * h + reason.hashCode();
        h = 31 * h + protocol;
        h = 31 * h + Long.hashCode(netns);
        return 31 * h + device.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof DropKey k && offset == k.offset && protocol == k.protocol && netns == k.netns
                && symbol.equals(k.symbol) && reason.equals(k.reason) && device.equals(k.device);
    }

    public static DropKey of(String symbol, int offset, String reason, int protocol) {
        return new DropKey(symbol, offset, reason, protocol, 0, "");
    }

    /** {@code nf_hook_slow+0x7d}, or the bare symbol when the offset is unknown. */
    public String location() {
        return offset < 0 ? symbol : symbol + "+0x" + Integer.toHexString(offset);
    }

    /** {@code 0x7d}, or the empty string when unknown. */
    public String offsetHex() {
        return offset < 0 ? "" : "0x" + Integer.toHexString(offset);
    }

    /** The reason for display: {@code -} when the trace carried none. */
    public String reasonOrDash() {
        return reason.isEmpty() ? "-" : reason;
    }

    /** The key without netns/device, for views that group those away. */
    public DropKey withoutNamespace() {
        return netns == 0 && device.isEmpty() ? this : new DropKey(symbol, offset, reason, protocol, 0, "");
    }
}
