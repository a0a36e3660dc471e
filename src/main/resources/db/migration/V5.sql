-- a flow run that outlived a restart of caod: its agent kept working and the restarted caod picked its result up
ALTER TABLE flow_runs ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0;
