package dev.caod.terminal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment a CLI starts with: a filtered copy of the daemon's (so a systemd-run daemon's internals do not
 * leak into agents) plus the credentials and endpoints CLIs need, plus what the client forwarded.
 */
final class TerminalEnvironment {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> BASE = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "COLORTERM", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
            "no_proxy", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE");
    private static final List<String> PREFIXES = List.of("LC_", "XDG_", "ANTHROPIC_", "CLAUDE_", "OPENAI_", "CODEX_",
            "GEMINI_", "GOOGLE_", "QWEN_", "DASHSCOPE_", "OPENCODE_", "AWS_", "AZURE_OPENAI_", "VERTEX_", "CLOUD_ML_");

    private TerminalEnvironment() {
    }

    static Map<String, String> filtered(Map<String, String> daemonEnv, List<String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        daemonEnv.forEach((k, v) -> {
            if (BASE.contains(k) || extra.contains(k) || PREFIXES.stream().anyMatch(k::startsWith)) {
                env.put(k, v);
            }
        });
        env.put("TERM", "tmux-256color");
        return env;
    }

    /** @throws IllegalArgumentException naming a variable whose name is not POSIX */
    static void checkNames(Map<String, String> vars) {
        vars.keySet().stream().filter(k -> !NAME.matcher(k).matches()).findFirst().ifPresent(k -> {
            throw new TerminalException(TerminalException.Kind.INVALID, "env: `" + k
                    + "` is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)");
        });
    }
}
