package dev.myrmex.ipc;

import dev.myrmex.core.AgentRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of out-of-process agents: a started runtime per test, and a temporary directory for the channels. */
abstract class RuntimeWithChannels {
    @TempDir
    Path tmp;
    AgentRuntime rt;

    @BeforeEach
    void startRuntime() {
        rt = AgentRuntime.builder().workers(2).build();
        rt.start();
    }

    @AfterEach
    void closeRuntime() {
        rt.close();
    }

    /** A host whose channels go to this test's directory. */
    OutOfProcess.Builder host() {
        return OutOfProcess.builder().directory(tmp.resolve("ch"));
    }
}
