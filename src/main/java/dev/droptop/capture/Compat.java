package dev.droptop.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.List;

/**
 * Upgrades records of older capture versions to the current one, from a declarative table (retis
 * {@code compat.rs} {@code FIXUPS}). A {@link Fixup} tagged with version {@code v} turns a version
 * {@code v} record into a version {@code v + 1} one; a file of version {@code f} gets every fixup with
 * {@code v >= f}, in ascending version order, then table order.
 *
 * <p>Paths are {@code "<record type>/<field>[/<field>...]"} through nested objects, e.g.
 * {@code "header/source"}. When a format change renames or removes a field, bump
 * {@link CaptureFormat#VERSION} and add its fixups to {@link #STANDARD}.
 */
public final class Compat {
    /**
     * The table this droptop applies. Version 2 added {@code flows} records and the header's
     * {@code flows} flag: a version-1 capture has no flows.
     */
    public static final Compat STANDARD = new Compat(List.of(new Add(1, "header/flows", false)));

    private final List<Fixup> fixups;

    public Compat(List<Fixup> fixups) {
        this.fixups = fixups.stream().sorted(Comparator.comparingInt(Fixup::fromVersion)).toList();
    }

    /** The oldest version this table can upgrade. */
    public int oldestVersion() {
        return fixups.isEmpty() ? CaptureFormat.VERSION : fixups.get(0).fromVersion();
    }

    /** Upgrades {@code record} (of {@code type}, written as format {@code version}) in place. */
    public void upgrade(int version, String type, ObjectNode record) {
        for (Fixup f : fixups) {
            if (f.fromVersion() >= version && f.type().equals(type)) {
                f.apply(record);
            }
        }
    }

    /** One change between {@link #fromVersion()} and the next version. */
    public sealed interface Fixup permits Add, Rename, Remove {
        int fromVersion();

        String path();

        void apply(ObjectNode record);

        /** The record type the path starts with. */
        default String type() {
            return path().substring(0, path().indexOf('/'));
        }
    }

    /** A field that did not exist: set to {@code value} (a String, Long, Integer or Boolean) when absent. */
    public record Add(int fromVersion, String path, Object value) implements Fixup {
        public Add {
            checkPath(path);
            node(value);
        }

        @Override
        public void apply(ObjectNode record) {
            ObjectNode parent = parent(record, path);
            if (parent != null && !parent.has(leaf(path))) {
                parent.set(leaf(path), node(value));
            }
        }
    }

    /** A field renamed (or moved within its parent object): {@code path} becomes {@code to}. */
    public record Rename(int fromVersion, String path, String to) implements Fixup {
        public Rename {
            checkPath(path);
            checkPath(to);
            if (!path.substring(0, path.lastIndexOf('/')).equals(to.substring(0, to.lastIndexOf('/')))) {
                throw new IllegalArgumentException("rename within one object only: " + path + " -> " + to);
            }
        }

        @Override
        public void apply(ObjectNode record) {
            ObjectNode parent = parent(record, path);
            if (parent != null && parent.has(leaf(path))) {
                parent.set(leaf(to), parent.remove(leaf(path)));
            }
        }
    }

    /** A field that no longer exists. */
    public record Remove(int fromVersion, String path) implements Fixup {
        public Remove {
            checkPath(path);
        }

        @Override
        public void apply(ObjectNode record) {
            ObjectNode parent = parent(record, path);
            if (parent != null) {
                parent.remove(leaf(path));
            }
        }
    }

    private static void checkPath(String path) {
        if (path.indexOf('/') <= 0 || path.endsWith("/")) {
            throw new IllegalArgumentException("path must be <type>/<field>: " + path);
        }
    }

    /** The object holding the path's last field, or null when an intermediate object is missing. */
    private static ObjectNode parent(ObjectNode record, String path) {
        String[] parts = path.split("/");
        JsonNode n = record;
        for (int i = 1; i < parts.length - 1 && n != null; i++) {
            n = n.get(parts[i]);
        }
        return n instanceof ObjectNode o ? o : null;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof String s) {
            return f.textNode(s);
        } else if (value instanceof Long l) {
            return f.numberNode(l);
        } else if (value instanceof Integer i) {
            return f.numberNode(i);
        } else if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        throw new IllegalArgumentException("unsupported fixup value: " + value);
    }
}
