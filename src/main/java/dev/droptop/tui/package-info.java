/**
 * The terminal UI of {@code live} and {@code replay} (Lanterna Screen layer). Panes are pure
 * functions from an immutable {@link dev.droptop.model.Snapshot} (inside a {@link dev.droptop.tui.Frame})
 * and the {@link dev.droptop.tui.ViewState} to {@link dev.droptop.tui.Line}s; only {@link
 * dev.droptop.tui.Painter} and the one screen loop ({@code ScreenLoop}, under {@link dev.droptop.tui.DropTopUi}
 * and {@link dev.droptop.tui.ProfileUi}) touch Lanterna. Everything that
 * came from a trace goes through {@link dev.droptop.model.Sanitize}. The UI never parses and never
 * starts processes: data arrives through a {@link dev.droptop.tui.Feed}.
 *
 * <p>May import: {@code dev.droptop.model}, {@code dev.droptop.diagnose}, Lanterna, JLine.
 */
package dev.droptop.tui;
