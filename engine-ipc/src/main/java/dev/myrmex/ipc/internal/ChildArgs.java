package dev.myrmex.ipc.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the parent tells a child on its command line, as {@code --key=value} arguments.
 *
 * @param channel         the channel file
 * @param agentName       the agent's name
 * @param behaviorSpec   what the child recreates: {@link BehaviorSpec}
 * @param codecClass      the codec's class
 * @param heartbeatMillis how often the child beats
 * @param sendTimeoutMillis how long a sender in the child waits for room in the ring to the parent
 * @param cpuSeconds      RLIMIT_CPU, 0 for none
 * @param openFiles       RLIMIT_NOFILE, 0 for none
 * @param addressSpace    RLIMIT_AS in bytes, 0 for none
 * @param processes       RLIMIT_NPROC (tasks in the sandbox), 0 for none
 * @param noNetwork       whether the child must find itself cut off the network
 * @param sandboxed       whether the child must find itself in its sandbox (then the kernel, not the child, ends it
 *                        with its parent)
 * @param workers         carriers of the child's runtime
 */
record ChildArgs(Path channel, String agentName, String behaviorSpec, String codecClass, long heartbeatMillis,
                 long sendTimeoutMillis, long cpuSeconds, int openFiles, long addressSpace, int processes,
                 boolean noNetwork, boolean sandboxed, int workers) {

    List<String> toList() {
        return List.of("--channel=" + channel, "--name=" + agentName, "--behavior=" + behaviorSpec,
                "--codec=" + codecClass, "--heartbeat-ms=" + heartbeatMillis, "--send-timeout-ms=" + sendTimeoutMillis,
                "--cpu-seconds=" + cpuSeconds, "--open-files=" + openFiles, "--address-space=" + addressSpace,
                "--processes=" + processes, "--no-network=" + noNetwork, "--sandboxed=" + sandboxed,
                "--workers=" + workers);
    }

    /**
     * @throws IllegalArgumentException naming the missing or malformed argument
     */
    static ChildArgs parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("malformed argument '" + a + "': expected --key=value");
            }
            m.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return new ChildArgs(Path.of(get(m, "channel")), get(m, "name"), get(m, "behavior"), get(m, "codec"),
                Long.parseLong(get(m, "heartbeat-ms")), Long.parseLong(get(m, "send-timeout-ms")),
                Long.parseLong(get(m, "cpu-seconds")), Integer.parseInt(get(m, "open-files")),
                Long.parseLong(get(m, "address-space")), Integer.parseInt(get(m, "processes")),
                Boolean.parseBoolean(get(m, "no-network")), Boolean.parseBoolean(get(m, "sandboxed")),
                Integer.parseInt(get(m, "workers")));
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument --" + key);
        }
        return v;
    }
}
