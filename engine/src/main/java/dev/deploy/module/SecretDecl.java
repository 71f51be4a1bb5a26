package dev.deploy.module;

import dev.deploy.Location;
import java.util.Optional;

/**
 * A secret a module declares ({@code secrets: {NAME: {description, as, owner, group, mode, optional}}}). Its value
 * never comes from a module: each host's inventory names where the controller reads it ({@code secrets:}).
 *
 * @param variable  for {@code as: env VAR}, the environment variable services get it in; empty for {@code as: file}
 * @param owner     owner of the file on the host (a template; {@code root} when absent)
 * @param group     its group (a template; {@code root} when absent)
 * @param mode      permission bits, {@code 0400} unless declared; never readable or writable by others
 * @param optional  a host without a value simply does not get it (instead of an input error)
 */
public record SecretDecl(String name, Location location, String description, Optional<String> variable,
                         Optional<Template> owner, Optional<Template> group, int mode, boolean optional) {

    public static final int DEFAULT_MODE = 0400;
}
