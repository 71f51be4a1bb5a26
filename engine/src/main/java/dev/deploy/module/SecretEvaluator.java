package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.SecretSetting;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretSource;
import dev.deploy.secret.SecretValue;
import dev.deploy.secret.SecretWriter;
import java.util.Optional;

/**
 * Evaluates a declared secret on one host: finds the inventory's source for it, reads the value on the controller,
 * checks that it fits its delivery (an env secret is one line), and renders the owner and group.
 */
final class SecretEvaluator {

    private SecretEvaluator() {
    }

    static Optional<Secret> evaluate(Evaluation evaluation, ModuleDef module, SecretDecl decl, String role) {
        String qualified = module.name() + "." + decl.name();
        Optional<SecretSource> source = evaluation.host.secrets().stream()
                .filter(setting -> setting.secret().equals(qualified)).map(SecretSetting::source).findFirst();
        if (source.isEmpty()) {
            if (decl.optional()) {
                return Optional.empty();
            }
            throw DeployException.input(evaluation.host.name(), decl.location(), "secrets." + decl.name(),
                    "secret " + qualified + " has no source on host " + evaluation.host.name() + ": set it in "
                            + evaluation.inventory.file() + " under the host's (or defaults') secrets:, e.g. "
                            + qualified + ": {command: \"pass show " + qualified.replace('.', '/') + "\"}");
        }
        SecretValue value = evaluation.secretValue(source.get());
        Secret.Delivery delivery;
        if (decl.variable().isPresent()) {
            value = value.withoutTrailingNewlines();
            if (value.isEmpty()) {
                throw DeployException.input(evaluation.host.name(), source.get().at(), source.get().field(),
                        "the value of secret " + qualified + " is empty");
            }
            if (!value.isUtf8()) {
                throw DeployException.input(evaluation.host.name(), source.get().at(), source.get().field(),
                        "secret " + qualified + " is an environment variable (" + decl.variable().get()
                                + "), whose value must be UTF-8 text (systemd ignores another); its source gives "
                                + "other bytes (declare it 'as: file' for binary values)");
            }
            if (value.hasLineBreakOrNul()) {
                throw DeployException.input(evaluation.host.name(), source.get().at(), source.get().field(),
                        "secret " + qualified + " is an environment variable (" + decl.variable().get()
                                + "), whose value cannot hold a line break or NUL; its source gives one (declare "
                                + "it 'as: file' for multi-line values)");
            }
            delivery = new Secret.Env(decl.variable().get());
        } else {
            delivery = new Secret.File();
        }
        String owner = account(evaluation, module, decl, decl.owner(), "owner");
        String group = account(evaluation, module, decl, decl.group(), "group");
        return Optional.of(new Secret(role, delivery, owner, group, decl.mode(), value));
    }

    private static String account(Evaluation evaluation, ModuleDef module, SecretDecl decl,
                                  Optional<Template> template, String what) {
        if (template.isEmpty()) {
            return "root";
        }
        String name = evaluation.text(template.get(), module).value();
        if (!SecretWriter.isAccount(name)) {
            throw evaluation.site(template.get()).reject("the " + what + " of secret " + module.name() + "."
                    + decl.name() + " must be a user or group name or a numeric id, got "
                    + dev.deploy.yaml.YamlValue.quoted(name), null);
        }
        return name;
    }
}
