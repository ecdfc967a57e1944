-- Dossier's shared state (DOSSIER_STATE=postgres://…). Values Dossier may extend later are
-- JSON text; what is queried or locked has columns of its own.
CREATE TABLE subscriptions (
    key text PRIMARY KEY,
    body text NOT NULL
);
-- The last period each subscription posted (or skipped).
CREATE TABLE periods (
    key text PRIMARY KEY,
    last_posted timestamptz NOT NULL
);
-- A period being posted: one row per (subscription, slot), held by one owner until its lease
-- ends; done once posted, and never claimed again.
CREATE TABLE claims (
    key text NOT NULL,
    slot timestamptz NOT NULL,
    owner text NOT NULL,
    lease_until timestamptz NOT NULL,
    done boolean NOT NULL DEFAULT false,
    PRIMARY KEY (key, slot)
);
CREATE TABLE channel_settings (
    channel text PRIMARY KEY,
    body text NOT NULL
);
CREATE TABLE guild_settings (
    guild text PRIMARY KEY,
    body text NOT NULL
);
CREATE TABLE ingested (
    doc text PRIMARY KEY,
    at timestamptz NOT NULL
);
CREATE TABLE feedback (
    answer text NOT NULL,
    user_id text NOT NULL,
    body text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (answer, user_id)
);
