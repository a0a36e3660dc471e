-- a flow enabled or disabled by `caod flow enable|disable` (or FlowService): overrides the file's `enabled` until the
-- next change of that front-matter value; NULL = follow the file
ALTER TABLE flows ADD COLUMN enabled_override INTEGER;
-- the file's `enabled` as last seen, to tell when the user changed it in the file
ALTER TABLE flows ADD COLUMN file_enabled INTEGER;
