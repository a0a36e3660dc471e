package dev.caod.profile;

import java.util.List;
import java.util.stream.Collectors;

/** A profile that cannot be used; the problems name the file, the line and the field. */
public class ProfileException extends RuntimeException {

    private final List<Problem> problems;

    public ProfileException(List<Problem> problems) {
        super(problems.stream().filter(Problem::error).map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
