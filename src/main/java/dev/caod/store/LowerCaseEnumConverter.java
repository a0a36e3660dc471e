package dev.caod.store;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import dev.caod.flow.RunOutcome;
import dev.caod.inbox.MessageState;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;

/** Stores enums by their lower-case names, the spelling SPEC and the CLI use, so the database reads the same. */
public abstract class LowerCaseEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected LowerCaseEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public E convertToEntityAttribute(String value) {
        return value == null ? null : Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    @Converter(autoApply = true)
    public static class AgentStatusConverter extends LowerCaseEnumConverter<AgentStatus> {
        public AgentStatusConverter() {
            super(AgentStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class LifecycleConverter extends LowerCaseEnumConverter<Lifecycle> {
        public LifecycleConverter() {
            super(Lifecycle.class);
        }
    }

    @Converter(autoApply = true)
    public static class MessageStateConverter extends LowerCaseEnumConverter<MessageState> {
        public MessageStateConverter() {
            super(MessageState.class);
        }
    }

    @Converter(autoApply = true)
    public static class RunOutcomeConverter extends LowerCaseEnumConverter<RunOutcome> {
        public RunOutcomeConverter() {
            super(RunOutcome.class);
        }
    }
}
