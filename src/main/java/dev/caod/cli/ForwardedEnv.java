package dev.caod.cli;

import java.util.List;

import dev.caod.api.v1.EnvVar;

/**
 * {@code --env NAME[=VALUE]}: variables the client forwards to agents. A daemon run by systemd does not see the
 * user's shell, so credentials such as ANTHROPIC_API_KEY travel this way; a bare NAME takes this shell's value.
 */
final class ForwardedEnv {

    static final String HELP = "A variable for the agents: NAME (taken from this shell, e.g. ANTHROPIC_API_KEY) or "
            + "NAME=VALUE. Repeatable.";

    private ForwardedEnv() {
    }

    static List<EnvVar> parse(List<String> options) {
        return options.stream().map(e -> {
            int eq = e.indexOf('=');
            String key = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? System.getenv(e) : e.substring(eq + 1);
            if (value == null) {
                throw new CliException(ExitCode.USAGE, "--env " + e + ": not set in this shell; use NAME=VALUE");
            }
            return EnvVar.newBuilder().setName(key).setValue(value).build();
        }).toList();
    }
}
