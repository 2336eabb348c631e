package dev.droptop.system;

/** Who droptop runs as. */
public final class Privileges {
    private Privileges() {
    }

    /** True when the effective user is root; false too when libc cannot be called. */
    public static boolean isRoot() {
        try {
            return Libc.C.geteuid() == 0;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }
}
