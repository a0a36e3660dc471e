package dev.caod.store;

import java.security.SecureRandom;

/**
 * Public ids of sessions and terminals: 8 lower-case letters and digits (about 41 bits), url- and tmux-safe, and
 * random so that a stale id from an old database never silently names a new terminal.
 */
public final class Refs {

    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 8;

    private Refs() {
    }

    public static String newRef() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** Whether a client-supplied id could be one of ours; checked before it reaches a query or tmux. */
    public static boolean isWellFormed(String ref) {
        if (ref == null || ref.length() != LENGTH) {
            return false;
        }
        for (char c : ref.toCharArray()) {
            if (new String(ALPHABET).indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
