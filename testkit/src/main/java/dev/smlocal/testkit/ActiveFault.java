package dev.smlocal.testkit;

/**
 * A {@link Fault} as a rule id on the server: {@code disable} removes the rule and {@code enable}
 * adds it again under a new id. Thread-safe.
 */
final class ActiveFault implements Fault {
    private final SmLocalControl control;
    private final FaultSpec spec;
    private String id; // null while disabled or closed
    private boolean closed;

    ActiveFault(SmLocalControl control, FaultSpec spec) {
        this.control = control;
        this.spec = spec;
        this.id = control.addFault(spec);
    }

    @Override
    public FaultSpec spec() {
        return spec;
    }

    @Override
    public synchronized boolean isEnabled() {
        return id != null;
    }

    @Override
    public synchronized Fault disable() {
        if (id != null) {
            control.removeFault(id);
            id = null;
        }
        return this;
    }

    @Override
    public synchronized Fault enable() {
        if (closed) throw new IllegalStateException("fault " + spec.action().wireName() + " is closed");
        if (id == null) id = control.addFault(spec);
        return this;
    }

    @Override
    public synchronized void close() {
        closed = true;
        disable();
    }

    @Override
    public synchronized String toString() {
        return "Fault[" + (id == null ? "off" : id) + " " + spec + "]";
    }
}
