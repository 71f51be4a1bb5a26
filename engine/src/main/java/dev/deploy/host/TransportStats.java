package dev.deploy.host;

/** Counters a connection keeps: commands run (round trips), bytes sent to and received from the host. */
public record TransportStats(long roundTrips, long bytesSent, long bytesReceived) {
}
