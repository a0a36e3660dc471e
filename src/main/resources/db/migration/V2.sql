-- terminal runtime: where each terminal lives in tmux, why it ended, where its transcript is kept
ALTER TABLE terminals ADD COLUMN tmux_pane TEXT;                -- tmux pane id, e.g. %7
ALTER TABLE terminals ADD COLUMN status_rule TEXT;              -- the rule that decided the current status
ALTER TABLE terminals ADD COLUMN exit_reason TEXT;              -- for lifecycle 'exited': closed, CLI exited, pane gone
ALTER TABLE terminals ADD COLUMN transcript_path TEXT;          -- the whole history, written when the terminal closes
ALTER TABLE terminals ADD COLUMN last_input TEXT;               -- the last submitted task (anchors answer extraction)
