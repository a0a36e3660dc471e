package dev.caod.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DoctorTest {

    @Test
    void tmuxThatCrashesUnderChurnIsAWarningThatSaysHowToUpgrade() {
        Doctor.Check c = Doctor.tmuxCheck("3.3a");
        assertEquals(Doctor.Level.warn, c.level());
        assertTrue(c.detail().contains("3.3a") && c.detail().contains("crash"), c.detail());
        assertTrue(c.fix().contains("apt-get install -t bookworm-backports tmux"), c.fix());
    }

    @Test
    void currentTmuxIsFineAndTooOldFails() {
        Doctor.Check ok = Doctor.tmuxCheck("3.5a");
        assertEquals(Doctor.Level.ok, ok.level());
        assertNull(ok.fix());
        assertEquals(Doctor.Level.ok, Doctor.tmuxCheck("next-3.6").level());
        assertEquals(Doctor.Level.fail, Doctor.tmuxCheck("3.1c").level());
    }
}
