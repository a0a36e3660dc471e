package dev.caod.provider;

import java.util.List;
import java.util.Map;

/** How to start the CLI: the exact argv (no shell) and variables to add to the terminal's environment. */
public record LaunchPlan(List<String> argv, Map<String, String> env) {
}
