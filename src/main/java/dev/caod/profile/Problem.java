package dev.caod.profile;

/** One thing wrong (or doubtful) in a profile file: where, which field, what is wrong and what is allowed. */
public record Problem(String file, int line, String field, String message, boolean error) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (field.isEmpty() ? "" : " [" + field + "]") + ": "
                + (error ? "" : "warning: ") + message;
    }
}
