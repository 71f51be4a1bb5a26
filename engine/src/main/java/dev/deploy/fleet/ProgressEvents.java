package dev.deploy.fleet;

import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.transfer.TransferProgress;
import java.time.Instant;

/**
 * Turns a transfer's progress callbacks into {@link DeployEvent.TransferProgress} events: the first, then at most
 * one per {@link #INTERVAL_NANOS}, and always the last (every file sent), so a front end or an NDJSON consumer
 * gets a steady trickle, not one event per file.
 */
public final class ProgressEvents implements TransferProgress {

    /** At most one event a second per host, besides the first and the last. */
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final EventSink events;
    private long last;
    private boolean any;

    private ProgressEvents(EventSink events) {
        this.events = events;
    }

    /** Progress of one transfer (one host) reported to {@code events}. */
    public static TransferProgress to(EventSink events) {
        return new ProgressEvents(events);
    }


    @Override
    public synchronized void update(String host, long bytesSent, long totalBytes, int filesSent, int totalFiles) {
        long now = System.nanoTime();
        boolean done = filesSent == totalFiles && bytesSent == totalBytes;
        if (any && !done && now - last < INTERVAL_NANOS) {
            return;
        }
        any = true;
        last = now;
        events.accept(new DeployEvent.TransferProgress(Instant.now(), host, bytesSent, totalBytes, filesSent,
                totalFiles));
    }
}
