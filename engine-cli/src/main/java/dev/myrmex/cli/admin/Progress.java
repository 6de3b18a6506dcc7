package dev.myrmex.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Watching tasks from a terminal: polls each unfinished task's run every {@value #POLL_MS} ms and prints a line
 * whenever its status, stage, percent or message changes, with a bar; then a summary.
 */
final class Progress {
    static final long POLL_MS = 200;
    private static final int BAR = 20;

    private Progress() {
    }

    /**
     * Watches {@code ids} until every one has ended. @return 0 if all succeeded, else {@link AdminCli#NOT_SUCCEEDED}
     */
    static int watch(AdminClient client, List<Long> ids, PrintWriter out) {
        Set<Long> open = new LinkedHashSet<>(ids);
        Map<Long, String> shown = new HashMap<>();
        Map<Long, JsonNode> last = new HashMap<>();
        while (!open.isEmpty()) {
            for (Long id : List.copyOf(open)) {
                JsonNode run = client.get("runs/" + id);
                last.put(id, run);
                String line = line(run);
                if (!line.equals(shown.put(id, line))) {
                    out.println(line);
                    out.flush();
                }
                if (isFinal(run.path("status").asText())) {
                    open.remove(id);
                }
            }
            if (!open.isEmpty()) {
                LockSupport.parkNanos(POLL_MS * 1_000_000);
                if (Thread.interrupted()) {
                    throw new IllegalStateException("interrupted while watching");
                }
            }
        }
        long ok = ids.stream().filter(id -> last.get(id).path("status").asText().equals("SUCCEEDED")).count();
        out.println(ok + " of " + ids.size() + " succeeded");
        for (Long id : ids) {
            JsonNode run = last.get(id);
            if (!run.path("status").asText().equals("SUCCEEDED")) {
                out.println("  task " + id + " " + run.path("status").asText() + ": " + run.path("reason").asText());
            }
        }
        out.flush();
        return ok == ids.size() ? 0 : AdminCli.NOT_SUCCEEDED;
    }

    private static boolean isFinal(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMEOUT", "CANCELLED" -> true;
            default -> false;
        };
    }

    static String line(JsonNode run) {
        int percent = run.path("status").asText().equals("SUCCEEDED") ? 100 : run.path("percent").asInt();
        int filled = percent * BAR / 100;
        String stage = run.path("stage").isNull() || run.path("stage").isMissingNode() ? "-"
                : run.get("stage").asText();
        String message = run.path("message").asText("");
        String reason = run.path("reason").asText("");
        return String.format("[%d] %-16s %-9s %-11s %3d%% %s%s %s", run.path("id").asLong(),
                abbreviate(run.path("name").asText(), 16), run.path("status").asText(), stage, percent,
                "#".repeat(filled), "-".repeat(BAR - filled), !message.isEmpty() ? message : reason).stripTrailing();
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
