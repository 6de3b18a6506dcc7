package dev.myrmex.journal;

/**
 * What an acknowledged append survives. The runtime treats a record as acknowledged once
 * {@link ChronicleJournal#append} returns for its batch.
 */
public enum Durability {
    /**
     * Survives the death of the process (a crash, {@code kill -9}, an OOM kill): Chronicle Queue writes into
     * memory-mapped files, so an appended record is in the operating system's page cache the moment the append
     * returns, and the kernel writes it out even if the process is gone. Lost if the machine loses power or the kernel
     * crashes before it writes the pages out (typically within 30 s on Linux). The default: no system call per batch.
     */
    PROCESS_CRASH,
    /**
     * Survives power loss as well: after each batch the journal forces the mapped pages it wrote to the storage device
     * ({@code msync(MS_SYNC)}) before the append returns. Costs a device flush per batch (from tens of microseconds on
     * NVMe with a power-safe cache to milliseconds on disks and network volumes); batching amortises it over up to
     * 1,024 records. Only as good as the device's own honesty about flushes.
     */
    POWER_LOSS
}
