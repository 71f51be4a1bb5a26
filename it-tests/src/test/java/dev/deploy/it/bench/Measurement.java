package dev.deploy.it.bench;

/**
 * One timed run of one tool: wall time, bytes sent over SSH (all hosts together), SSH round trips (the most on
 * one host), peak RSS of the controller-side process, artifact bytes (file content pushed; for baselines the
 * same as bytes sent), and the controller process's CPU time, user + system (0 where not measured).
 */
record Measurement(double wallSeconds, long bytesSent, long roundTrips, long peakRssKiB, long artifactBytes,
                   double cpuSeconds) {

    Measurement(double wallSeconds, long bytesSent, long roundTrips, long peakRssKiB, long artifactBytes) {
        this(wallSeconds, bytesSent, roundTrips, peakRssKiB, artifactBytes, 0);
    }
}
