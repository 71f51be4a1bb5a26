package dev.deploy.event;

/**
 * Receives {@link DeployEvent}s. Called from the threads that work on hosts, concurrently: implementations must be
 * thread-safe and quick (a front end queues or prints; it never blocks the engine on I/O it does not own).
 */
@FunctionalInterface
public interface EventSink {

    /** Drops every event. */
    EventSink NONE = event -> { };

    void accept(DeployEvent event);
}
