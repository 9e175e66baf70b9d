// Real Flink 2.3 restores savepoints StateLab wrote (`statelab run --savepoint-out DIR`), as `flink run -s DIR` does
// (tools/flink-savepoint-restore/run.sh). For each line of the plan it first reads the savepoint's _metadata with
// Flink's own Checkpoints.loadCheckpointMetadata and prints what Flink sees (version, checkpoint id, properties,
// operators), then runs the counter job — source -> keyBy -> KeyedProcessFunction counting in ValueState<Long>
// "event-counter", uid as given, no max parallelism set — on a local MiniCluster (HashMap state backend) from that
// savepoint at the given parallelism, without allowNonRestoredState, feeding the extra keys. When the input ends each
// keyed subtask dumps every key its backend holds (KeyedStateBackend.getKeys) with its count, its key group and the
// subtask's KeyGroupRange: what Flink restored plus the extra events.
//
//   java -cp CLASSES:FLINK_LIB/* FlinkSavepointRestore PLAN
//   PLAN: one line per restore: NAME SAVEPOINT_DIR UID KEY_TYPE(String|Integer|Long) PARALLELISM EXTRA_KEYS_FILE OUT_JSONL
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.*;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointProperties;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.util.Collector;

public class FlinkSavepointRestore {
    static final String STATE = "event-counter";
    /** What the keyed subtasks dumped, one JSON line per key. */
    static final ConcurrentLinkedQueue<String> DUMP = new ConcurrentLinkedQueue<>();

    /** StateLab's EventCounterProcessFunction: count each key's events in ValueState<Long> "event-counter". */
    public static class Counter<K> extends KeyedProcessFunction<K, K, String> {
        transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, Types.LONG));
        }

        @Override
        public void processElement(K key, Context ctx, Collector<String> out) throws Exception {
            long n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            out.collect(key + "=" + n);
        }
    }

    /** KeyedProcessOperator that, when its input ends, dumps every key of its backend with the key's count. */
    public static class DumpingOperator<K> extends KeyedProcessOperator<K, K, String> {
        public DumpingOperator() { super(new Counter<>()); }

        @Override
        public void finish() throws Exception {
            super.finish();
            AbstractKeyedStateBackend<K> backend = (AbstractKeyedStateBackend<K>) (Object) getKeyedStateBackend();
            KeyGroupRange range = backend.getKeyGroupRange();
            int max = backend.getNumberOfKeyGroups();
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            ValueState<Long> state = getPartitionedState(new ValueStateDescriptor<>(STATE, Types.LONG));
            List<K> keys;
            try (Stream<K> s = backend.getKeys(STATE, VoidNamespace.INSTANCE)) {
                keys = s.collect(Collectors.toList());
            }
            for (K key : keys) {
                setCurrentKey(key);
                int kg = KeyGroupRangeAssignment.assignToKeyGroup(key, max);
                DUMP.add("{\"subtask\":" + subtask + ",\"keyGroupRange\":[" + range.getStartKeyGroup() + ","
                        + range.getEndKeyGroup() + "],\"maxParallelism\":" + max + ",\"keyGroup\":" + kg
                        + ",\"inRange\":" + range.contains(kg) + ",\"key\":" + json(key) + ",\"count\":"
                        + state.value() + "}");
            }
            if (keys.isEmpty()) {
                DUMP.add("{\"subtask\":" + subtask + ",\"keyGroupRange\":[" + range.getStartKeyGroup() + ","
                        + range.getEndKeyGroup() + "],\"maxParallelism\":" + max + "}");
            }
        }
    }

    static String json(Object key) {
        if (!(key instanceof String)) return key.toString();
        return "\"" + ((String) key).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Object parse(String text, String keyType) {
        switch (keyType) {
            case "String": return text;
            case "Integer": return Integer.valueOf(text);
            case "Long": return Long.valueOf(text);
            default: throw new IllegalArgumentException("key type " + keyType);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static TypeInformation<Object> type(String keyType) {
        switch (keyType) {
            case "String": return (TypeInformation) Types.STRING;
            case "Integer": return (TypeInformation) Types.INT;
            case "Long": return (TypeInformation) Types.LONG;
            default: throw new IllegalArgumentException("key type " + keyType);
        }
    }

    /**
     * What Flink's own metadata reader sees in the savepoint; false unless its properties are a stop-with-savepoint's
     * and the _metadata ends with exactly the bytes ObjectOutputStream writes for them.
     */
    static boolean describe(String name, Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(dir.resolve("_metadata"))))) {
            CheckpointMetadata m = Checkpoints.loadCheckpointMetadata(in,
                    FlinkSavepointRestore.class.getClassLoader(), dir.toString());
            CheckpointProperties expected = CheckpointProperties.forSyncSavepoint(true, false,
                    SavepointFormatType.CANONICAL);
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(serialized)) {
                o.writeObject(expected);
            }
            byte[] metadata = Files.readAllBytes(dir.resolve("_metadata"));
            byte[] tail = Arrays.copyOfRange(metadata, Math.max(0, metadata.length - serialized.size()),
                    metadata.length);
            boolean ok = expected.equals(m.getCheckpointProperties())
                    && Arrays.equals(tail, serialized.toByteArray());
            System.out.println(name + ": Flink reads checkpoint " + m.getCheckpointId() + ", "
                    + m.getMasterStates().size() + " master states, properties " + m.getCheckpointProperties()
                    + (ok ? " (= stop-with-savepoint's, byte for byte)" : " (UNEXPECTED)"));
            for (OperatorState op : m.getOperatorStates()) {
                System.out.println(name + ":   operator " + op.getOperatorID() + " uid "
                        + op.getOperatorUid().orElse("-") + " parallelism " + op.getParallelism()
                        + " max parallelism " + op.getMaxParallelism() + ", " + op.getStates().size()
                        + " subtask states, " + op.getStateSize() + " bytes");
            }
            return ok;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String[]> plan = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) plan.add(line.trim().split("\\s+"));
        }
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        MiniClusterConfiguration mcc = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build();
        int failed = 0;
        try (MiniCluster mc = new MiniCluster(mcc)) {
            mc.start();
            for (String[] p : plan) {
                String name = p[0];
                Path dir = Paths.get(p[1]).toAbsolutePath();
                String uid = p[2];
                String keyType = p[3];
                int parallelism = Integer.parseInt(p[4]);
                List<Object> extra = new ArrayList<>();
                for (String k : Files.readAllLines(Paths.get(p[5]), StandardCharsets.UTF_8)) {
                    if (!k.isEmpty()) extra.add(parse(k, keyType));
                }
                if (!describe(name, dir)) failed++;
                DUMP.clear();
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                env.fromData(extra, type(keyType)).setParallelism(1)
                        .keyBy(k -> k, type(keyType))
                        .transform("EventCounterProcessFunction", Types.STRING, new DumpingOperator<Object>())
                        .uid(uid).setParallelism(parallelism)
                        .sinkTo(new DiscardingSink<>()).setParallelism(parallelism);
                StreamGraph graph = env.getStreamGraph();
                graph.setJobId(new JobID());
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(dir.toString(), false));
                JobID job = mc.submitJob(graph).get().getJobID();
                JobResult result = mc.requestJobResult(job).get();
                if (!result.isSuccess()) {
                    failed++;
                    System.out.println(name + ": FAILED at parallelism " + parallelism + ": "
                            + result.getSerializedThrowable().map(t -> t.getFullStringifiedStackTrace()).orElse("?"));
                    continue;
                }
                List<String> lines = new ArrayList<>(DUMP);
                Collections.sort(lines);
                Files.write(Paths.get(p[6]), lines, StandardCharsets.UTF_8);
                System.out.println(name + ": restored at parallelism " + parallelism + ", " + extra.size()
                        + " extra events, " + lines.stream().filter(l -> l.contains("\"key\"")).count() + " keys");
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
