package dev.droptop.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Names of network namespaces by inode. The live implementation reads /run/netns and /proc (in
 * {@code system}); a capture carries the names seen while it ran, so reports name namespaces offline.
 */
public interface NetnsNames {
    /** Nothing known: every namespace is shown by its inode. */
    NetnsNames NONE = inode -> null;

    /** What is known about {@code inode} (never called with 0), or null. */
    NetnsInfo find(long inode);

    /** {@link #find}, or an unnamed entry. */
    default NetnsInfo describe(long inode) {
        NetnsInfo i = find(inode);
        return i != null ? i : NetnsInfo.unnamed(inode);
    }

    /** A fixed table (from a capture). */
    static NetnsNames of(Map<Long, NetnsInfo> table) {
        Map<Long, NetnsInfo> copy = new TreeMap<>(table);
        return copy::get;
    }
}
