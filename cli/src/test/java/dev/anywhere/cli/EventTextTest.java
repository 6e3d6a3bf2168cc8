package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.directory.ReplicaSwitch;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anywhere events} says every event in English and German, from the bundle by id and data. */
class EventTextTest extends CommandTestBase {

    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    private static final EventText EN = new EventText(CliText.of("en"));
    private static final EventText DE = new EventText(CliText.of("de"));

    /** Each id with the data its service writes (every variant of it), as the stored message would be worded. */
    static List<Event> samples() {
        List<Event> events = new ArrayList<>();
        events.add(event(EventId.TRANSIENT_EXCEPTION, "retrySeconds", "15", "error", "ldap://127.0.100.250:389: connect refused"));
        events.add(event(EventId.PERMANENT_EXCEPTION, "error", "server object CN=EX9 missing"));
        for (String roles : List.of("gateway,endpoints", "gateway", "endpoints")) {
            events.add(event(EventId.PROXY_NOT_INSTALLED, "missing", "x", "server", "EX1", "roles", roles));
        }
        events.add(event(EventId.PROXY_NOT_ENABLED, "server", "EX1"));
        for (EventId id : List.of(EventId.UPDATED_VALID_PORTS, EventId.DISABLED_VALID_PORTS, EventId.ENABLED_VALID_PORTS)) {
            events.add(Event.change(T, id, "ValidPorts_AutoConfig_Exchange", "", "EX1:6001-6002", "x"));
        }
        events.add(Event.change(T, EventId.UPDATED_RPC_VIRTUAL_DIRECTORY, "VirtualDirectory", "disabled", "enabled", "x").with("server", "EX1"));
        events.add(Event.change(T, EventId.UPDATED_RPC_VIRTUAL_DIRECTORY, "VirtualDirectory", "enabled", "disabled", "x").with("server", "EX1"));
        events.add(Event.change(T, EventId.UPDATED_AUTHENTICATION_SETTINGS, "Authentication", "none", "NTLM, Basic", "x").with("server", "EX1"));
        events.add(event(EventId.SUCCESSFULLY_CHECKED, "server", "EX1"));
        events.add(Event.change(T, EventId.UPDATED_SSL_REQUIREMENT, "RequireSsl", "Ssl,Ssl128", "None", "x").with("server", "EX1"));
        events.add(Event.change(T, EventId.UPDATED_SSL_REQUIREMENT, "RequireSsl", "None", "Ssl,Ssl128", "x").with("server", "EX1"));
        for (String items : List.of("deleted", "unreadable", "digest", "authentication,validPorts")) {
            events.add(event(EventId.REVERTED_MANUAL_CHANGE, "file", "/d/rpc-vdir.json", "items", items, "server", "EX1"));
        }
        for (var m : dev.anywhere.directory.ChangeMechanism.values()) {
            events.add(event(EventId.CHANGE_FOLLOWING_STARTED, "mechanism", m.name()));
        }
        events.add(event(EventId.PERIODIC_WORK_DISABLED, "pollInterval", "0"));
        events.add(event(EventId.DIRECTORY_RECOVERED));
        events.add(Event.replicaSwitched(T, new ReplicaSwitch(URI.create("ldap://dc1:389"), URI.create("ldap://dc2:389"), false, "search: 91 (connect error)")));
        events.add(Event.replicaSwitched(T, new ReplicaSwitch(URI.create("ldap://dc2:389"), URI.create("ldap://dc1:389"), true,
                "answers again and has caught up")));
        events.add(event(EventId.DRIFT_CORRECTION_DISABLED, "driftCorrection", "false"));
        for (String delay : List.of("0", "300")) {
            events.add(event(EventId.LOGON_FAILED, "user", "FRANKYSWEB\\franky", "address", "127.0.0.1", "scheme", "NTLM", "reason",
                    "wrong_password", "failures", "3", "delayMillis", delay));
        }
        events.add(event(EventId.LOGON_DIRECTORY_UNREACHABLE, "reason", "no answer within 5000 ms"));
        events.add(event(EventId.LOGON_DIRECTORY_UNREACHABLE, "reason", "bind: 91 (connect error)"));
        events.add(event(EventId.LOGON_DIRECTORY_RECOVERED, "downSeconds", "42"));
        return events;
    }

    /** Every id has its text in both languages, German without English words, and every placeholder filled. */
    @Test
    void everyEventIdHasATextInBothLanguages() {
        List<Event> samples = samples();
        assertThat(samples.stream().map(Event::id).distinct()).containsExactlyInAnyOrder(EventId.values());
        List<String> problems = new ArrayList<>();
        for (Event e : samples) {
            String key = EventText.key(e, new HashMap<>());
            String en = EN.message(e);
            String de = DE.message(e);
            if (de.equals(e.message())) {
                problems.add(key + ": not rendered from the bundle: " + de);
            }
            if (de.equals(en)) {
                problems.add(key + ": German equals English");
            }
            if ((en + de).matches("(?s).*\\{[a-zA-Z]+}.*")) {
                problems.add(key + ": a placeholder left: " + en + " / " + de);
            }
            TextAudit.englishWords(de).forEach(w -> problems.add(key + ": English word '" + w + "': " + de));
            if (Messages.CLASS_NAME.matcher(en + de).find()) {
                problems.add(key + ": a class name");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The English text says what the service wrote where the service's wording is built from the same values. */
    @Test
    void englishSaysWhatTheServiceWrote() {
        for (boolean nearest : new boolean[] {true, false}) {
            Event e = Event.replicaSwitched(T, new ReplicaSwitch(URI.create("ldap://dc1:389"), URI.create("ldap://dc2:389"), nearest,
                    nearest ? "answers again and has caught up" : "search: 91 (connect error)"));
            assertThat(EN.message(e)).isEqualTo(e.message());
        }
        assertThat(DE.message(event(EventId.LOGON_DIRECTORY_UNREACHABLE, "reason", "no answer within 5000 ms")))
                .startsWith("Anmeldungen erreichen das Verzeichnis nicht (keine Antwort innerhalb von 5000 ms).");
    }

    /** A directory failure the service recorded with its key: German around the DN, URL and result code, English as stored. */
    @Test
    void aKeyedDirectoryFailureIsSaidInTheReadersLanguage() {
        dev.anywhere.directory.DirectoryText failure = dev.anywhere.directory.DirectoryText.of(dev.anywhere.directory.DirectoryText.Key.LDAP_FAILED,
                "what", dev.anywhere.directory.DirectoryText.of(dev.anywhere.directory.DirectoryText.Key.CONNECT, "url", "ldap://127.0.100.250:389",
                        "dn", "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local"), "code", "connect error(91)");
        Map<String, String> data = new LinkedHashMap<>(Map.of("retrySeconds", "15", "error", failure.english()));
        data.putAll(failure.data("error."));
        Event transientFailure = new Event(T, EventId.TRANSIENT_EXCEPTION, "stored", data);
        assertThat(DE.message(transientFailure)).isEqualTo("Der Konfigurator konnte das Verzeichnis nicht lesen und versucht es in 15 "
                + "Sekunden erneut; die zuletzt angewandte Konfiguration bleibt in Kraft. Fehler: „Verbindung zu ldap://127.0.100.250:389 als "
                + "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local: „connect error(91)“ (erwartet: Erfolg)“");
        assertThat(EN.message(transientFailure)).endsWith("Error: connect to ldap://127.0.100.250:389 as "
                + "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local: connect error(91) (expected: success)");
        Map<String, String> reason = new LinkedHashMap<>(Map.of("reason", failure.english()));
        reason.putAll(failure.data("reason."));
        assertThat(DE.message(new Event(T, EventId.LOGON_DIRECTORY_UNREACHABLE, "stored", reason)))
                .startsWith("Anmeldungen erreichen das Verzeichnis nicht („Verbindung zu ldap://127.0.100.250:389 als ");
    }

    /** An event written before its data held what the text needs is shown with the message it was written with. */
    @Test
    void anOlderEventWithoutTheValuesKeepsItsMessage() {
        Event old = new Event(T, EventId.UPDATED_AUTHENTICATION_SETTINGS, "Updated the authentication methods of EX1/rpc", Map.of("old", "a", "new", "b"));
        assertThat(DE.message(old)).isEqualTo("Updated the authentication methods of EX1/rpc");
    }

    @Test
    void theTableSpeaksTheJvmsLanguage(@TempDir Path dir) {
        new EventLog(dir).write(List.of(Event.change(T, EventId.UPDATED_AUTHENTICATION_SETTINGS, "Authentication", "Basic", "NTLM, Basic",
                "Updated the authentication methods of EX1/rpc from 'Basic' to 'NTLM, Basic' (IISAuthenticationMethods).").with("server", "EX1")));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(run("events", "--data-dir", dir.toString())).isZero();
            assertThat(out).isEqualTo("2026-12-06T10:00:00Z  INFORMATION 3036 UpdatedAuthenticationSettings  Authentifizierungsmethoden "
                    + "von EX1/rpc von „Basic“ auf „NTLM, Basic“ geändert (IISAuthenticationMethods).\n");
            assertThat(run("events", "--data-dir", dir.toString(), "--format", "json")).isZero();
            assertThat(out).contains("\"message\" : \"Updated the authentication methods of EX1/rpc from 'Basic' to 'NTLM, Basic'");
            Locale.setDefault(Locale.US);
            assertThat(run("events", "--data-dir", dir.toString())).isZero();
            assertThat(out).endsWith("Updated the authentication methods of EX1/rpc from 'Basic' to 'NTLM, Basic' (IISAuthenticationMethods).\n");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Event event(EventId id, String... namesAndValues) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            data.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Event(T, id, "stored message", data);
    }
}
