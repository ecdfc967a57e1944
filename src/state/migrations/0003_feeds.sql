-- Feeds the corpus follows (issue 17). Values Dossier may extend later are JSON text.
CREATE TABLE feeds (
    url text PRIMARY KEY,
    body text NOT NULL
);
-- Each feed's polling state: validators for conditional requests, failures for backoff.
CREATE TABLE feed_state (
    url text PRIMARY KEY,
    body text NOT NULL
);
-- The entries of each feed already handled, so a poll takes only new ones.
CREATE TABLE feed_entries (
    feed text NOT NULL,
    entry text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (feed, entry)
);
