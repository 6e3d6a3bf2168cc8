package dev.anywhere.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.report.JsonReportWriter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Turns the analyzer's progress into server-sent events: {@code started} when a step begins (with the key of its
 * parent, so the page knows where to hang it) and {@code finished} with the step's result subtree in the report's JSON
 * shape. Steps are keyed by identity, as two steps may share an id only in different runs but a key must be unique
 * on the page; the runner calls from several threads.
 */
final class RunEvents implements CheckListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveRun run;
    private final Map<Check, Integer> keys = new IdentityHashMap<>();
    private final Map<Check, Integer> parents = new IdentityHashMap<>();

    RunEvents(LiveRun run) {
        this.run = run;
    }

    @Override
    public void started(Check check, int depth) {
        ObjectNode e = header(check, depth);
        e.put("title", check.title());
        run.emit("started", e.toString());
    }

    @Override
    public void finished(Check check, CheckResult result, int depth) {
        ObjectNode e = header(check, depth);
        e.set("check", JsonReportWriter.check(result));
        run.emit("finished", e.toString());
    }

    private synchronized ObjectNode header(Check check, int depth) {
        int key = keys.computeIfAbsent(check, c -> keys.size());
        for (Check child : check.children()) {
            parents.putIfAbsent(child, key);
        }
        ObjectNode e = JSON.createObjectNode();
        e.put("key", key);
        Integer parent = parents.get(check);
        if (parent == null) {
            e.putNull("parent");
        } else {
            e.put("parent", parent);
        }
        e.put("depth", depth);
        e.put("id", check.id());
        return e;
    }
}
