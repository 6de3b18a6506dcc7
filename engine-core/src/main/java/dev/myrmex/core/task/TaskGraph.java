package dev.myrmex.core.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a batch's keys and puts its requests in an order where each comes after those it waits for. */
final class TaskGraph {
    private TaskGraph() {
    }

    /**
     * The requests, each after every request of the batch it waits for by key.
     *
     * @throws TaskGraphException a key used twice, an unknown key, a cycle (naming its tasks)
     */
    static List<TaskRequest> order(List<TaskRequest> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no tasks to submit");
        }
        if (requests.size() == 1 && requests.getFirst().afterKeys().isEmpty()) {
            return requests; // one task waits for no key: the common submit, nothing to order
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            String k = requests.get(i).key();
            if (k != null && index.put(k, i) != null) {
                throw new TaskGraphException(TaskGraphException.Problem.DUPLICATE_KEY, "task key '" + k
                        + "' is used twice in the batch");
            }
        }
        int n = requests.size();
        int[] waitsFor = new int[n];
        List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>(1));
        }
        for (int i = 0; i < n; i++) {
            for (String k : requests.get(i).afterKeys()) {
                Integer d = index.get(k);
                if (d == null) {
                    throw new TaskGraphException(TaskGraphException.Problem.UNKNOWN_KEY, "task "
                            + label(requests.get(i), i) + " waits for key '" + k
                            + "', which no task of the batch has");
                }
                dependents.get(d).add(i);
                waitsFor[i]++;
            }
        }
        ArrayDeque<Integer> free = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (waitsFor[i] == 0) {
                free.add(i);
            }
        }
        List<TaskRequest> order = new ArrayList<>(n);
        while (!free.isEmpty()) {
            int i = free.poll();
            order.add(requests.get(i));
            for (int d : dependents.get(i)) {
                if (--waitsFor[d] == 0) {
                    free.add(d);
                }
            }
        }
        if (order.size() < n) {
            throw new TaskGraphException(TaskGraphException.Problem.CYCLE,
                    "dependency cycle (each waits for the next): " + cycle(requests, index, waitsFor));
        }
        return order;
    }

    /** One cycle among the requests left waiting, as "a -> b -> a". */
    private static String cycle(List<TaskRequest> requests, Map<String, Integer> index, int[] waitsFor) {
        int start = 0;
        while (waitsFor[start] == 0) {
            start++;
        }
        // Walk "waits for" edges among the left-over requests: every one of them waits for another left-over one,
        // so the walk must come back to a request it has seen.
        Map<Integer, Integer> seenAt = new HashMap<>();
        List<Integer> path = new ArrayList<>();
        int at = start;
        while (!seenAt.containsKey(at)) {
            seenAt.put(at, path.size());
            path.add(at);
            int next = -1;
            for (String k : requests.get(at).afterKeys()) {
                int d = index.get(k);
                if (waitsFor[d] > 0) {
                    next = d;
                    break;
                }
            }
            at = next;
        }
        StringBuilder b = new StringBuilder();
        for (int i = seenAt.get(at); i < path.size(); i++) {
            b.append(label(requests.get(path.get(i)), path.get(i))).append(" -> ");
        }
        return b.append(label(requests.get(at), at)).toString();
    }

    private static String label(TaskRequest r, int i) {
        return r.key() != null ? "'" + r.key() + "' (" + r.name() + ")" : "#" + i + " (" + r.name() + ")";
    }
}
