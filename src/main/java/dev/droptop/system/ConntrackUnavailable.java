package dev.droptop.system;

import java.io.IOException;

/** Conntrack cannot be read here; the message says why in one line. */
public final class ConntrackUnavailable extends IOException {
    private static final long serialVersionUID = 1L;

    public ConntrackUnavailable(String reason) {
        super(reason);
    }
}
