package dev.anywhere.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lab mode: the server hosts the lab (lab.json written), lists its scenarios, runs one as {@code anywhere lab
 * --scenario} does — the healthy site stopped, the broken one analyzed and judged — refuses other runs meanwhile, and
 * has the healthy lab back afterwards. Starts the lab on shifted ports: run it under {@code flock
 * /tmp/anywhere-ports.lock}.
 */
class LabModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aScenarioBreaksTheLabIsJudgedAndTheHealthyLabComesBack() throws Exception {
        Path labDir = tmp.resolve("lab");
        WebSettings settings = new WebSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(),
                "jdbc:sqlite:" + tmp.resolve("history.db"), RunDefaults.system(), 4, 2)
                .withLab(new WebSettings.LabMode(labDir, PortPolicy.shifted(35000)));
        try (WebServer server = WebServer.start(settings)) {
            WebServerTest.Page page = new WebServerTest.Page(server).session();
            assertThat(JSON.readTree(page.get("api/session").body()).path("lab").asBoolean()).isTrue();
            assertThat(LabState.read(labDir)).isPresent();
            JsonNode scenarios = JSON.readTree(page.get("api/scenarios").body());
            assertThat(scenarios.findValuesAsText("name")).contains("healthy", "auth-mismatch", "cert-expired")
                    .doesNotContain("array-member-missed-change"); // the array's need HAProxy and slapd: anywhere lab --scenario
            assertThat(error(page.post("api/scenarios/nope/runs", "", Optional.of(page.csrf)))).isEqualTo("No scenario 'nope'.");
            assertThat(page.post("api/scenarios/auth-mismatch/runs", "", Optional.empty()).statusCode()).isEqualTo(403);

            HttpResponse<String> started = page.post("api/scenarios/auth-mismatch/runs", "", Optional.of(page.csrf));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = JSON.readTree(started.body()).path("id").asText();
            // The healthy site is down while the scenario runs: other runs wait for it.
            String form = "{\"target\":\"franky@frankysweb.org\",\"user\":\"FRANKYSWEB\\\\franky\",\"password\":\"x\"}";
            assertThat(error(page.startRun(form))).isEqualTo("Refused: a lab scenario is running (the lab is back when it ends).");

            String events = page.get("api/runs/" + id + "/events").body();
            assertThat(events).contains("event: step\ndata: {\"text\":\"Scenario auth-mismatch: EXPR tells Outlook to use Ntlm")
                    .contains("anywhere oa enable --server EX1").contains("event: started").contains("event: finished");
            String done = events.substring(events.indexOf("event: done"));
            assertThat(done).contains("\"scenario\":\"auth-mismatch\",\"expected\":\"auth.required-missing\","
                    + "\"primary\":\"auth.required-missing\",\"asExpected\":true");
            assertThat(JSON.readTree(page.get("api/runs/" + id + "/report").body()).path("target").asText()).isEqualTo("franky@frankysweb.org");

            // The healthy lab is back, lab.json with it, and a run with the lab's password passes.
            assertThat(LabState.read(labDir)).isPresent();
            String password = Passwords.load(Topology.frankysweb(), labDir).of("franky");
            HttpResponse<String> healthy = page.startRun("{\"target\":\"franky@frankysweb.org\",\"user\":\"FRANKYSWEB\\\\franky\","
                    + "\"password\":\"" + password + "\",\"vantage\":\"outside\"}");
            assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(202);
            String healthyEvents = page.get("api/runs/" + JSON.readTree(healthy.body()).path("id").asText() + "/events").body();
            assertThat(healthyEvents.substring(healthyEvents.indexOf("event: done"))).contains("\"status\":\"passed\"");
            // Never sent back: not in the stream, not in any download.
            assertThat(healthyEvents).doesNotContain(password);
            String healthyId = JSON.readTree(healthy.body()).path("id").asText();
            for (String format : new String[] {"json", "html", "junit"}) {
                assertThat(page.get("api/runs/" + healthyId + "/report?format=" + format).body()).doesNotContain(password);
            }
        }
        assertThat(LabState.read(labDir)).isEmpty();
    }

    @Test
    void withoutLabModeThereAreNoScenarios() throws Exception {
        try (WebServer server = WebServer.start(new WebSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(),
                "jdbc:sqlite:" + tmp.resolve("history.db"), RunDefaults.system(), 4, 2))) {
            WebServerTest.Page page = new WebServerTest.Page(server).session();
            assertThat(JSON.readTree(page.get("api/session").body()).path("lab").asBoolean()).isFalse();
            assertThat(error(page.get("api/scenarios"))).isEqualTo("Lab mode is off: start the server with --lab (it then hosts the lab).");
            assertThat(error(page.post("api/scenarios/healthy/runs", "", Optional.of(page.csrf))))
                    .isEqualTo("Lab mode is off: start the server with --lab (it then hosts the lab).");
        }
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        return JSON.readTree(r.body()).path("error").asText();
    }
}
