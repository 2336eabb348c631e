package dev.droptop.run;

import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import dev.droptop.source.Backends;
import java.io.PrintStream;

/** The backend of a live, capture or export run: auto's pick (said on stderr, with why) or the named one, checked. */
final class BackendChoice {
    private BackendChoice() {
    }

    /** {@code auto} or a name of {@code Backends.names()}; a backend that does not work here is a {@link Failure}. */
    static Backend choose(String name, PrintStream err) {
        if ("auto".equals(name)) {
            Backends.Choice c = Backends.auto();
            if (c.backend() == null) {
                throw new Failure("no backend works here: " + c.why() + " (run 'droptop doctor')");
            }
            err.println("droptop: backend " + c.backend().name() + " (" + c.why() + ")");
            return c.backend();
        }
        Backend b = Backends.named(name);
        if (b == null) {
            throw new UserError("unknown --backend " + name + " (use auto or one of " + Backends.names() + ")");
        }
        Availability a = b.check();
        if (!a.works()) {
            throw new Failure(b.name() + " does not work here: " + a.reason()
                    + (a.fix().isEmpty() ? "" : " (fix: " + a.fix() + ")"));
        }
        return b;
    }
}
