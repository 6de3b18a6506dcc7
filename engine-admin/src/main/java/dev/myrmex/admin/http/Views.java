package dev.myrmex.admin.http;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.metrics.AgentMetrics;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the management API answers with: runtime objects as JSON-ready maps, field names stable. */
public final class Views {
    private Views() {
    }

    public static Map<String, Object> agent(AgentHandle<?> a) {
        AgentMetrics m = a.metrics();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", a.name());
        v.put("state", a.state());
        v.put("received", m.received());
        v.put("mailboxDepth", m.mailboxDepth());
        v.put("deadLettered", m.deadLettered());
        v.put("restarts", m.restarts());
        v.put("messagesPerSecond", m.messagesPerSecond());
        v.put("processingNanosEma", m.processingNanosEma());
        return v;
    }

    /** A task: its request, status and outcome (its run's detail is {@link #run}). */
    public static Map<String, Object> task(TaskInfo t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id().value());
        v.put("name", t.request().name());
        v.put("status", t.status());
        v.put("reason", t.reason());
        v.put("priority", t.request().priority());
        v.put("dependencies", t.dependencies().stream().map(d -> d.value()).toList()); // keys resolved to ids
        v.put("timeoutMs", t.request().timeout() == null ? null : t.request().timeout().toMillis());
        v.put("maxRetries", t.request().maxRetries());
        v.put("attempts", t.attempts());
        v.put("worker", t.worker());
        v.put("input", JsonBodies.writable(t.request().input()));
        if (t.inputForgotten()) {
            v.put("inputForgotten", true); // let go to bound the finished tasks' inputs: the journal has it
        }
        v.put("result", JsonBodies.writable(t.result()));
        TaskProgress last = t.currentProgress();
        v.put("stage", last == null ? null : last.stage());
        v.put("percent", last == null ? 0 : last.percent());
        v.put("submittedAt", t.submittedAt());
        v.put("startedAt", t.startedAt());
        v.put("finishedAt", t.finishedAt());
        return v;
    }

    /** A task's run: status, the progress history of every attempt, output and error text. */
    public static Map<String, Object> run(TaskInfo t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id().value());
        v.put("name", t.request().name());
        v.put("status", t.status());
        v.put("reason", t.reason());
        v.put("attempts", t.attempts());
        TaskProgress last = t.currentProgress();
        v.put("stage", last == null ? null : last.stage());
        v.put("percent", last == null ? 0 : last.percent());
        v.put("message", last == null ? "" : last.message());
        List<Map<String, Object>> stages = t.progress().stream().map(p -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage", p.stage());
            s.put("percent", p.percent());
            s.put("message", p.message());
            s.put("attempt", p.attempt());
            s.put("at", p.at());
            return s;
        }).toList();
        v.put("stages", stages);
        v.put("output", t.output());
        v.put("error", t.error());
        v.put("submittedAt", t.submittedAt());
        v.put("startedAt", t.startedAt());
        v.put("finishedAt", t.finishedAt());
        return v;
    }

    public static Map<String, Object> event(JournalEvent e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("time", e.time());
        v.put("type", e.type());
        v.put("severity", e.severity());
        v.put("agent", e.agent());
        v.put("task", e.task());
        v.put("details", e.details());
        return v;
    }
}
