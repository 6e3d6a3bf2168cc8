/**
 * {@code anywhere serve}: the analyzer as a web page. A Netty HTTP(S) server ({@link dev.anywhere.web.WebServer}) serves
 * a static page that starts runs with the options of {@code anywhere analyze} and follows each run's check tree over
 * server-sent events; every report is kept in a database ({@link dev.anywhere.web.History}: SQLite by default, or
 * PostgreSQL through a JDBC URL; schema migrations by Flyway) and any two runs compare with the {@code --diff} logic.
 * Runs and database work happen on bounded executors, never on the event loop.
 */
package dev.anywhere.web;
