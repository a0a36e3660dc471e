package dev.caod.flow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Flow settings ({@code caod.flows.*}); docs/configuration.md documents each key. */
@ConfigMapping(prefix = "caod.flows")
public interface FlowSettings {

    /** Folders watched besides {@code <config>/flows}, comma-separated absolute paths. */
    Optional<List<String>> folders();

    /** Changes must pause this long before a file is read again: editors write in several steps. */
    @WithDefault("300ms")
    Duration debounce();

    /** Missed scheduled times while caod was down: {@code one} catch-up run at start, or {@code none}. */
    @WithDefault("one")
    CatchUp catchUp();

    /** How long a flow's script may run before it is stopped and the run fails. */
    @WithDefault("60s")
    Duration scriptTimeout();

    /** How much of the agent's answer a run record keeps. */
    @WithDefault("4000")
    int answerExcerpt();

    enum CatchUp { NONE, ONE }
}
