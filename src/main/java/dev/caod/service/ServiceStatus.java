package dev.caod.service;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code caod service status}; printed by Jackson for {@code -o json}, registered so a native image keeps its
 * accessors. A {@code null} field means "could not tell" (no systemd user manager, no logind).
 *
 * @param unitFile where the unit is (or would be) installed
 * @param writtenByCaod whether the file carries caod's marker; null when there is no file
 * @param current whether the file is exactly what {@code caod service install} would write now
 * @param managerReachable whether a systemd user manager answered
 * @param enabled systemctl's is-enabled answer ({@code enabled}, {@code disabled}, {@code not-found} …)
 * @param active systemctl's is-active answer ({@code active}, {@code inactive}, {@code failed} …)
 * @param linger whether the user manager runs without a login session (caod then starts at boot)
 * @param hints what to do about anything that is not as it should be
 */
@RegisterForReflection
public record ServiceStatus(String unitFile, boolean installed, Boolean writtenByCaod, Boolean current,
        boolean managerReachable, String enabled, String active, Boolean linger, List<String> hints) {

    /** Installed and running: the one state {@code caod service status} exits 0 for. */
    public boolean healthy() {
        return installed && "active".equals(active);
    }
}
