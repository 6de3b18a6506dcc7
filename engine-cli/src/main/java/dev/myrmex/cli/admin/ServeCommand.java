package dev.myrmex.cli.admin;

import dev.myrmex.admin.AdminConfig;
import dev.myrmex.admin.AdminServer;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.task.TaskContext;
import dev.myrmex.core.task.TaskStage;
import dev.myrmex.journal.ChronicleJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code serve}: a runtime with the management API, until interrupted (Ctrl-C). Its demo workers take any task: they
 * go through the default stages, taking the input's {@code "ms"} (default 400) in all, and fail if the input says
 * {@code "fail": true}; the result names the task and the time taken.
 */
@Command(name = "serve", description = "Runs a runtime with the management API and demo workers, until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    AdminCli cli;

    @Option(names = "--host", description = "the address to bind; default 127.0.0.1 (loopback only)")
    String host = AdminConfig.LOOPBACK;
    @Option(names = "--port", description = "the port; default 7070, 0 for any free one")
    int port = AdminConfig.DEFAULT_PORT;
    @Option(names = "--token", description = "the bearer token to require; default: a new random one, printed")
    String token;
    @Option(names = "--token-file", description = "also write the token to this file (readable by you alone)")
    Path tokenFile;
    @Option(names = "--journal", description = "keep the journal in this directory (tasks survive a restart);"
            + " default: in memory")
    Path journal;
    @Option(names = "--demo-workers", description = "demo worker agents taking any task; default 4")
    int demoWorkers = 4;

    @Override
    public Integer call() throws Exception {
        if (demoWorkers < 0) {
            throw new IllegalArgumentException("--demo-workers cannot be negative: " + demoWorkers);
        }
        AgentRuntime.Builder b = AgentRuntime.builder();
        ChronicleJournal onDisk = journal == null ? null : ChronicleJournal.open(journal);
        if (onDisk != null) {
            b.journal(onDisk);
        }
        AgentRuntime rt = b.build();
        rt.start();
        PrintWriter out = cli.spec.commandLine().getOut();
        if (!rt.recovery().tasks().requeued().isEmpty()) {
            out.println("recovered: " + rt.recovery());
        }
        for (int i = 1; i <= demoWorkers; i++) {
            rt.tasks().spawnWorker("demo-worker-" + i, Set.of(), ServeCommand::demo);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        boolean interrupted = false;
        try (AdminServer admin = AdminServer.start(rt, new AdminConfig(host, port, token,
                AdminConfig.DEFAULT_MAX_BODY))) {
            if (tokenFile != null) {
                writePrivately(tokenFile, admin.token());
            }
            boolean loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
            out.println("Myrmex admin API at " + admin.uri() + " (" + (loopback ? "loopback only"
                    : "reachable from other machines") + "), " + demoWorkers + " demo worker"
                    + (demoWorkers == 1 ? "" : "s") + " taking any task, journal " + (journal == null ? "in memory"
                    : "in " + journal));
            out.println("  token: " + admin.token() + (token != null ? " (given with --token)"
                    : " (new at each start; choose one with --token" + (tokenFile == null
                    ? ", or save it with --token-file FILE)" : ")")) + (tokenFile == null ? ""
                    : "; written to " + tokenFile + ", readable by you alone"));
            out.println("  in another terminal: export MYRMEX_ADMIN_URL=" + admin.uri() + " MYRMEX_ADMIN_TOKEN="
                    + admin.token());
            out.println("  then: ./myrmex admin submit hello --wait; ./myrmex admin tasks; ./myrmex admin --help");
            out.println("Ctrl-C stops it.");
            out.flush();
            Thread hook = new Thread(stopped::countDown, "myrmex-admin-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } catch (InterruptedException e) { // stopped from within the process (tests, an embedding program)
                Runtime.getRuntime().removeShutdownHook(hook);
                interrupted = true;
            }
        } finally {
            rt.stop(Duration.ofSeconds(10));
            if (onDisk != null) {
                onDisk.close(); // the runtime flushes its journal but leaves it open: ours to close
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text + "\n");
    }

    /** The demo workers' task: the default stages over the input's "ms", failing if asked to. */
    static Val demo(TaskContext task) throws InterruptedException {
        Json.Obj in = task.input() instanceof Json.Obj o ? o : new Json.Obj(Map.of());
        long ms = in.get("ms") instanceof Json.Int(long v) ? Math.max(0, v) : 400;
        boolean fail = in.get("fail") instanceof Json.Bool(boolean f) && f;
        TaskStage[] stages = {TaskStage.VALIDATING, TaskStage.LOADING, TaskStage.EXECUTING, TaskStage.FINALIZING};
        for (TaskStage s : stages) {
            task.progress(s, s.name().toLowerCase() + " " + task.name());
            Thread.sleep(ms / stages.length); // the demo's stand-in for real work
        }
        task.output(task.name() + " ran with input " + task.input());
        if (fail) {
            throw new IllegalStateException("the input asked this task to fail");
        }
        task.progress(TaskStage.DONE);
        return Json.of(Map.of("task", task.name(), "tookMs", ms));
    }
}
