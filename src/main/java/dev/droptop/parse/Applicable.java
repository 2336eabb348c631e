package dev.droptop.parse;

/** A parser's answer to "is this prefix of a stream in your format?" (inferno's {@code Option<bool>}). */
public enum Applicable {
    /** The prefix holds a line only this format prints. */
    YES,
    /** The prefix rules this format out (wrong magic, binary data). */
    NO,
    /** Nothing decisive yet: read more, or give up at the prefix limit. */
    UNSURE
}
