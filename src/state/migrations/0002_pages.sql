-- Answers shown in Discord, kept for their page and vote buttons: a press may reach any
-- process, and a restart keeps them.
CREATE TABLE pages (
    id text PRIMARY KEY,
    channel text NOT NULL,
    command text NOT NULL,
    query text NOT NULL,
    answer text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX pages_at ON pages (at);
