package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;

/**
 * Where the files a host lacks come from, as plans show it: the text view's "to send" or "to fetch from the cache",
 * and {@code contentFrom} in the {@code --json} plan of each host ({@link #json()}).
 */
enum ContentRoute {
    /** Pushed over SSH by this controller: no binary cache is configured. */
    CONTROLLER("controller"),
    /** Fetched by the host from the binary cache (pushed over SSH when the host cannot use it). */
    CACHE("cache"),
    /** Pushed over SSH: a binary cache is configured but off for this host. */
    CACHE_OFF("controller-cache-off");

    private final String json;

    ContentRoute(String json) {
        this.json = json;
    }

    /** The route of {@code host} under the inventory's binary cache settings. */
    static ContentRoute of(CacheConfig cache, String host) {
        if (cache.settings().isEmpty()) {
            return CONTROLLER;
        }
        return cache.enabledFor(host) ? CACHE : CACHE_OFF;
    }

    /** {@code controller}, {@code cache} or {@code controller-cache-off}. */
    String json() {
        return json;
    }
}
