package dev.droptop.run;

/** droptop's version, as captures and --version show it. */
public final class Build {
    public static final String VERSION = "0.1.0";

    private Build() {
    }
}
