package dev.caod.demo;

/** One decoded keyboard event: typed text, a bracketed paste, or a control key. */
public record Key(Kind kind, String text) {

    public enum Kind {
        /** Typed characters (never control characters). */
        TEXT,
        /** The contents of a bracketed paste, newlines as {@code \n}; a paste never submits. */
        PASTE,
        ENTER, BACKSPACE, CTRL_C, CTRL_D, ESC,
        /** The input stream ended (the terminal went away). */
        EOF
    }

    public static final Key ENTER = new Key(Kind.ENTER, "");
    public static final Key BACKSPACE = new Key(Kind.BACKSPACE, "");
    public static final Key CTRL_C = new Key(Kind.CTRL_C, "");
    public static final Key CTRL_D = new Key(Kind.CTRL_D, "");
    public static final Key ESC = new Key(Kind.ESC, "");
    public static final Key EOF = new Key(Kind.EOF, "");

    public static Key text(String text) {
        return new Key(Kind.TEXT, text);
    }

    public static Key paste(String text) {
        return new Key(Kind.PASTE, text);
    }
}
