package dev.droptop.model;

/**
 * Where the {@code skb:kfree_skb} fields sit in a tracepoint's raw record (from the tracepoint
 * format file, e.g. {@code field:void * location; offset:16; size:8;}), its id ({@code ID: 2310})
 * and its reason table. An absent field has offset {@link #ABSENT}.
 */
public record TracepointLayout(long id, int locationOffset, int locationSize, int reasonOffset, int reasonSize,
                               int protocolOffset, int protocolSize, ReasonNames reasons) {
    public static final int ABSENT = -1;
    /** No id known: samples of any tracepoint attr are taken as kfree_skb. */
    public static final long ANY_ID = -1;

    /** kfree_skb of kernel 6.x (skbaddr@8, location@16, rx_sk@24, protocol@32, reason@36), any id, no names. */
    public static TracepointLayout kernel6(ReasonNames reasons) {
        return new TracepointLayout(ANY_ID, 16, 8, 36, 4, 32, 2, reasons);
    }
}
