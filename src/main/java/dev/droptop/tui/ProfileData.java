package dev.droptop.tui;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded CPU profile as the profile screen needs it: where it came from, the top kernel network
 * symbols (computed once) and each symbol's callers and callees (computed once per symbol).
 */
public final class ProfileData {
    private final Profile profile;
    private final String source;
    private final List<Profile.SymbolCount> top;
    private final Map<String, Profile.Focus> focus = new HashMap<>();

    public ProfileData(Profile profile, String source, int top) {
        this.profile = profile;
        this.source = source;
        this.top = profile.top(FrameKind::isNetwork, top);
    }

    public String source() {
        return source;
    }

    public long samples() {
        return profile.total();
    }

    /** The profile's event, empty when the trace names none. */
    public String event() {
        return profile.event();
    }

    /** The sum of the samples' periods, or -1 when the trace gave none. */
    public long weight() {
        return profile.weighted() ? profile.totalWeight() : -1;
    }

    public double durationSeconds() {
        return profile.durationSeconds();
    }

    public List<Profile.SymbolCount> top() {
        return top;
    }

    public Profile.Focus focus(String symbol) {
        return focus.computeIfAbsent(symbol, profile::focus);
    }
}
