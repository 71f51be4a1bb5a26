package dev.deploy.inventory;

import dev.deploy.secret.SecretSource;

/**
 * Where the controller reads secret {@code secret} ({@code MODULE.NAME}) for a host, e.g.
 * {@code lnbits.adminKey: {command: "pass show lnbits/admin-key"}}.
 */
public record SecretSetting(String secret, SecretSource source) {
}
