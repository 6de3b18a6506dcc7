package dev.myrmex.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random task graph for the property tests, with its plan of failures and what the queue's rules make of it.
 * Task i may depend on any task before it, so the graph has no cycle; ids are i + 1 in a fresh queue.
 *
 * @param deps       the dependencies of each task
 * @param maxRetries each task's retries
 * @param failSeed   the seed of the failure plan ({@link #fails})
 */
record RandomDag(List<List<Integer>> deps, int[] maxRetries, long failSeed) {
    /** {@code n} tasks, each depending on each earlier one with chance 1 in {@code oneIn}, 0 to 2 retries. */
    static RandomDag of(int n, SplittableRandom random, int oneIn) {
        List<List<Integer>> deps = new ArrayList<>();
        int[] maxRetries = new int[n];
        for (int i = 0; i < n; i++) {
            List<Integer> d = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(oneIn) == 0) {
                    d.add(j);
                }
            }
            deps.add(d);
            maxRetries[i] = random.nextInt(3);
        }
        return new RandomDag(deps, maxRetries, random.nextLong());
    }

    int size() {
        return deps.size();
    }

    /** Whether attempt {@code attempt} (from 1) of task {@code task} fails: about a third do. */
    boolean fails(int task, int attempt) {
        return new SplittableRandom(failSeed ^ (task * 1_000_003L) ^ (attempt * 7_919L)).nextInt(100) < 35;
    }

    /**
     * What each task ends as by the rules: cancelled without running if a dependency did not succeed; else succeeded
     * if one of its allowed attempts does; else failed.
     */
    TaskStatus[] expected() {
        TaskStatus[] out = new TaskStatus[size()];
        for (int i = 0; i < size(); i++) {
            out[i] = expected(i, out);
        }
        return out;
    }

    private TaskStatus expected(int i, TaskStatus[] known) {
        for (int d : deps.get(i)) {
            if (known[d] != TaskStatus.SUCCEEDED) {
                return TaskStatus.CANCELLED;
            }
        }
        for (int attempt = 1; attempt <= maxRetries[i] + 1; attempt++) {
            if (!fails(i, attempt)) {
                return TaskStatus.SUCCEEDED;
            }
        }
        return TaskStatus.FAILED;
    }
}
