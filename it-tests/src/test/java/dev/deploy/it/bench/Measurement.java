package dev.deploy.it.bench;

/**
 * One timed run of one tool: wall time, bytes sent over SSH (all hosts together), SSH round trips (the most on
 * one host), peak RSS of the controller-side process, and artifact bytes (file content pushed; for baselines the
 * same as bytes sent).
 */
record Measurement(double wallSeconds, long bytesSent, long roundTrips, long peakRssKiB, long artifactBytes) {
}
