-- Every analyzer run the page started: the JSON report (docs/report-schema.md) and the columns the history is
-- searched by. Plain SQL that SQLite and PostgreSQL both take.
CREATE TABLE run (
    id          VARCHAR(36)  PRIMARY KEY,
    target      VARCHAR(320) NOT NULL,
    target_lc   VARCHAR(320) NOT NULL,
    vantage     VARCHAR(16)  NOT NULL,
    started     VARCHAR(40)  NOT NULL,
    started_ms  BIGINT       NOT NULL,
    elapsed_ms  BIGINT       NOT NULL,
    language    VARCHAR(2)   NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    banner      VARCHAR(200) NOT NULL,
    report      TEXT         NOT NULL
);
CREATE INDEX run_target ON run (target_lc);
CREATE INDEX run_started ON run (started_ms);
