package dev.myrmex.core.task;

/**
 * The stages a run reports by default, each with the percentage it stands for. A worker may report any stage name
 * and percentage instead ({@link TaskContext#progress(String, int, String)}); these are the common vocabulary.
 */
public enum TaskStage {
    VALIDATING(5),
    LOADING(15),
    EXECUTING(60),
    FINALIZING(90),
    DONE(100);

    private final int percent;

    TaskStage(int percent) {
        this.percent = percent;
    }

    /** How far along a run in this stage is, 0 to 100. */
    public int percent() {
        return percent;
    }
}
