package dev.deploy.cli.json;

import dev.deploy.host.TransportStats;

/** What crossed one host's connection in the run: commands run (round trips) and stdin / stdout+stderr bytes. */
public record Transport(long roundTrips, long bytesSent, long bytesReceived) {

    public static Transport of(TransportStats stats) {
        return new Transport(stats.roundTrips(), stats.bytesSent(), stats.bytesReceived());
    }
}
