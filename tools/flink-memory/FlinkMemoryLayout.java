// The TaskManager memory layout as real Apache Flink derives it, for StateLab's ground truth
// (tests/data/groundtruth/flink_memory_layout.csv, checked by tests/groundtruth_memory.rs).
//
// For each taskmanager.memory.process.size in the list below, with and without taskmanager.memory.managed.size: 0,
// it calls Flink's own TaskExecutorProcessUtils.processSpecFromConfig(conf) (what the resource manager and the
// start scripts use) and writes every component in bytes, plus the JVM arguments Flink generates from the spec
// (ProcessMemoryUtils.generateJvmParametersStr: -Xmx, -Xms, -XX:MaxDirectMemorySize, -XX:MaxMetaspaceSize).
// Every other option keeps Flink's default.
//
//   java -cp 'classes:lib/*' FlinkMemoryLayout > flink_memory_layout.csv
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.flink.runtime.util.config.memory.taskmanager.TaskExecutorFlinkMemory;

import java.util.TreeSet;

public class FlinkMemoryLayout {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** The process sizes tried: 1g..64g in steps of 64m, every size where a clamp starts or ends (and one byte
     *  either side), and 400 sizes with arbitrary byte counts (a fixed LCG), so that BigDecimal truncation of
     *  odd byte counts is exercised. */
    static TreeSet<Long> sizes() {
        TreeSet<Long> sizes = new TreeSet<>();
        for (long s = GIB; s <= 64 * GIB; s += 64 * MIB) {
            sizes.add(s);
        }
        // JVM overhead leaves its 192m floor at 1920m and hits its 1g ceiling at 10g; network's 64m floor ends
        // near 1g of total Flink memory; the old 1g network ceiling (Flink < 1.17) would start near 10.6g.
        long[] edges = {1920 * MIB, 10 * GIB, 1024 * MIB + 256 * MIB + 192 * MIB + 640 * MIB,
                        10 * GIB + 10 * GIB / 16, 11 * GIB + 256 * MIB + 1024 * MIB, 1728 * MIB, 4096 * MIB};
        for (long e : edges) {
            for (long d = -1; d <= 1; d++) {
                long s = e + d;
                if (s >= GIB && s <= 64 * GIB) {
                    sizes.add(s);
                }
            }
        }
        long x = 42;
        for (int i = 0; i < 400; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            sizes.add(GIB + Long.remainderUnsigned(x >>> 1, 63 * GIB + 1));
        }
        return sizes;
    }

    public static void main(String[] args) {
        System.out.println("process_bytes,managed_size_option,jvm_overhead,jvm_metaspace,total_flink,framework_heap,"
                + "task_heap,framework_off_heap,task_off_heap,managed,network,jvm_heap,jvm_direct,jvm_parameters");
        for (long size : sizes()) {
            for (boolean zeroManaged : new boolean[] {false, true}) {
                Configuration conf = new Configuration();
                conf.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, new MemorySize(size));
                if (zeroManaged) {
                    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
                }
                TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
                TaskExecutorFlinkMemory flink = spec.getFlinkMemory();
                System.out.println(String.join(",",
                        Long.toString(size),
                        zeroManaged ? "0" : "",
                        bytes(spec.getJvmOverheadSize()),
                        bytes(spec.getJvmMetaspaceSize()),
                        bytes(spec.getTotalFlinkMemorySize()),
                        bytes(flink.getFrameworkHeap()),
                        bytes(flink.getTaskHeap()),
                        bytes(flink.getFrameworkOffHeap()),
                        bytes(flink.getTaskOffHeap()),
                        bytes(flink.getManaged()),
                        bytes(flink.getNetwork()),
                        bytes(spec.getJvmHeapMemorySize()),
                        bytes(spec.getJvmDirectMemorySize()),
                        ProcessMemoryUtils.generateJvmParametersStr(spec).trim()));
            }
        }
    }

    private static String bytes(MemorySize size) {
        return Long.toString(size.getBytes());
    }
}
