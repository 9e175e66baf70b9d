// Real Flink 2.3 savepoints and checkpoints of a job that writes every keyed-state primitive, for StateLab's reader
// (tools/flink-savepoints/run.sh; docs/flink-savepoint-format.md). One run = one job on a local MiniCluster at a
// given parallelism, max parallelism, inline threshold and compression: after every event was processed it takes a
// canonical savepoint, a native savepoint and a full checkpoint (retained), cancels the job, and writes next to each
// snapshot expected.jsonl — what the job wrote, replayed from the same key sequence, one line per keyed entry in
// `statelab inspect --dump`'s format.
//
//   java -cp CLASSES:FLINK_LIB/* FlinkSavepoints OUT_DIR NAME PARALLELISM MAX_PARALLELISM INLINE(true|false) COMPRESSION(true|false) KEYS
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.*;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.*;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

public class FlinkSavepoints {
    static final String UID = "primitives-op";
    /** Processing-time timers far in the future (2100-01-01), so none fires. */
    static final long PROCESSING_BASE = 4102444800000L;
    /** Event-time timers: no watermarks, so none fires. */
    static final long EVENT_BASE = 1000L;
    static final AtomicLong PROCESSED = new AtomicLong();

    /** A POJO value: public fields, a public no-argument constructor. */
    public static class Event {
        public String key;
        public long count;
        public Integer flag;
        public Event() {}
        public Event(String key, long count, Integer flag) { this.key = key; this.count = count; this.flag = flag; }
    }

    /** Average of the event indices; the accumulator (what state holds) is a Tuple2 (sum, count). */
    public static class Average implements AggregateFunction<Long, Tuple2<Long, Long>, Double> {
        public Tuple2<Long, Long> createAccumulator() { return Tuple2.of(0L, 0L); }
        public Tuple2<Long, Long> add(Long v, Tuple2<Long, Long> acc) { return Tuple2.of(acc.f0 + v, acc.f1 + 1); }
        public Double getResult(Tuple2<Long, Long> acc) { return acc.f1 == 0 ? 0.0 : (double) acc.f0 / acc.f1; }
        public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) { return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1); }
    }

    /** The event with index i: "k<j>" where keys repeat as k0, k1,k1, k2,k2,k2, ... interleaved round-robin. */
    static List<String> sequence(int keys) {
        List<String> out = new ArrayList<>();
        for (int round = 0; round < keys; round++)
            for (int j = round; j < keys; j++) out.add("k" + j);
        return out;
    }

    public static class AllPrimitives extends KeyedProcessFunction<String, Tuple2<String, Long>, String> {
        transient ValueState<Long> valueLong;
        transient ValueState<String> valueString;
        transient ValueState<Integer> valueInt;
        transient ValueState<Double> valueDouble;
        transient ValueState<Boolean> valueBool;
        transient ValueState<byte[]> valueBytes;
        transient ValueState<Event> pojo;
        transient ValueState<Row> row;
        transient ListState<Long> list;
        transient MapState<String, Long> map;
        transient ReducingState<Long> reducing;
        transient AggregatingState<Long, Double> aggregating;
        /** With time-to-live (the "ttl" runs only): each value a TtlValue of the value and its last write. */
        final boolean ttl;
        transient ValueState<Long> valueTtl;
        transient ListState<Long> listTtl;
        transient MapState<String, Long> mapTtl;

        AllPrimitives(boolean ttl) { this.ttl = ttl; }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            if (ttl) {
                StateTtlConfig day = StateTtlConfig.newBuilder(java.time.Duration.ofDays(1)).build();
                ValueStateDescriptor<Long> v = new ValueStateDescriptor<>("value-ttl", Types.LONG);
                v.enableTimeToLive(day);
                valueTtl = getRuntimeContext().getState(v);
                ListStateDescriptor<Long> l = new ListStateDescriptor<>("list-ttl", Types.LONG);
                l.enableTimeToLive(day);
                listTtl = getRuntimeContext().getListState(l);
                MapStateDescriptor<String, Long> m = new MapStateDescriptor<>("map-ttl", Types.STRING, Types.LONG);
                m.enableTimeToLive(day);
                mapTtl = getRuntimeContext().getMapState(m);
            }
            valueLong = getRuntimeContext().getState(new ValueStateDescriptor<>("value-long", Types.LONG));
            valueString = getRuntimeContext().getState(new ValueStateDescriptor<>("value-string", Types.STRING));
            valueInt = getRuntimeContext().getState(new ValueStateDescriptor<>("value-int", Types.INT));
            valueDouble = getRuntimeContext().getState(new ValueStateDescriptor<>("value-double", Types.DOUBLE));
            valueBool = getRuntimeContext().getState(new ValueStateDescriptor<>("value-bool", Types.BOOLEAN));
            valueBytes = getRuntimeContext().getState(
                    new ValueStateDescriptor<byte[]>("value-bytes",
                            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            pojo = getRuntimeContext().getState(new ValueStateDescriptor<>("pojo", Types.POJO(Event.class)));
            row = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("row", Types.ROW(Types.STRING, Types.LONG)));
            list = getRuntimeContext().getListState(new ListStateDescriptor<>("list", Types.LONG));
            map = getRuntimeContext().getMapState(new MapStateDescriptor<>("map", Types.STRING, Types.LONG));
            reducing = getRuntimeContext().getReducingState(
                    new ReducingStateDescriptor<>("reducing", (a, b) -> a + b, Types.LONG));
            aggregating = getRuntimeContext().getAggregatingState(
                    new AggregatingStateDescriptor<>("aggregating", new Average(),
                            Types.TUPLE(Types.LONG, Types.LONG)));
        }

        @Override
        public void processElement(Tuple2<String, Long> e, Context ctx, Collector<String> out) throws Exception {
            long i = e.f1;
            long n = valueLong.value() == null ? 1 : valueLong.value() + 1;
            valueLong.update(n);
            valueString.update("s" + n);
            valueInt.update((int) n * 10);
            valueDouble.update(n / 2.0);
            valueBool.update(n % 2 == 0);
            valueBytes.update(new byte[] {(byte) n, (byte) -n});
            pojo.update(new Event(e.f0, n, n % 2 == 0 ? (int) n : null));
            row.update(Row.of(e.f0, n));
            list.add(i);
            map.put("e" + n, i);
            reducing.add(i);
            aggregating.add(i);
            if (ttl) {
                valueTtl.update(n);
                listTtl.add(i);
                mapTtl.put("e" + n, i);
            }
            ctx.timerService().registerProcessingTimeTimer(PROCESSING_BASE + n);
            ctx.timerService().registerEventTimeTimer(EVENT_BASE + n);
            PROCESSED.incrementAndGet();
            out.collect(e.f0);
        }
    }

    // ---- expected contents, in the dump's JSON ----

    static String str(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }

    static void line(List<String> out, String state, int kg, String key, String valueOrTimer) {
        out.add("{\"operator\":" + str(UID) + ",\"state\":" + str(state) + ",\"keyGroup\":" + kg + ",\"key\":"
                + str(key) + "," + valueOrTimer + "}");
    }

    /** A TtlValue in the dump: its user value and its last access time, which the run cannot know ahead ("?"). */
    static String ttlValue(String userValue) {
        return "{\"userValue\":" + userValue + ",\"lastAccessTimestamp\":\"?\"}";
    }

    static List<String> expected(List<String> seq, int maxParallelism, boolean ttl) {
        Map<String, List<Long>> events = new TreeMap<>();
        for (int i = 0; i < seq.size(); i++) events.computeIfAbsent(seq.get(i), k -> new ArrayList<>()).add((long) i);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : events.entrySet()) {
            String k = e.getKey();
            List<Long> idx = e.getValue();
            long n = idx.size();
            int kg = KeyGroupRangeAssignment.assignToKeyGroup(k, maxParallelism);
            long sum = 0;
            for (long i : idx) sum += i;
            StringBuilder list = new StringBuilder("[");
            StringBuilder map = new StringBuilder("{");
            for (int j = 0; j < idx.size(); j++) {
                if (j > 0) { list.append(','); map.append(','); }
                list.append(idx.get(j));
                map.append(str("e" + (j + 1))).append(':').append(idx.get(j));
            }
            list.append(']');
            map.append('}');
            line(out, "value-long", kg, k, "\"value\":" + n);
            line(out, "value-string", kg, k, "\"value\":" + str("s" + n));
            line(out, "value-int", kg, k, "\"value\":" + (n * 10));
            line(out, "value-double", kg, k, "\"value\":" + Double.toString(n / 2.0));
            line(out, "value-bool", kg, k, "\"value\":" + (n % 2 == 0));
            line(out, "value-bytes", kg, k, "\"value\":[" + (n & 0xff) + "," + ((-n) & 0xff) + "]");
            line(out, "pojo", kg, k, "\"value\":{\"count\":" + n + ",\"flag\":" + (n % 2 == 0 ? Long.toString(n) : "null")
                    + ",\"key\":" + str(k) + "}");
            line(out, "row", kg, k, "\"value\":[" + str(k) + "," + n + "]");
            line(out, "list", kg, k, "\"value\":" + list);
            line(out, "map", kg, k, "\"value\":" + map);
            line(out, "reducing", kg, k, "\"value\":" + sum);
            line(out, "aggregating", kg, k, "\"value\":{\"f0\":" + sum + ",\"f1\":" + n + "}");
            if (ttl) {
                StringBuilder ttlList = new StringBuilder("[");
                StringBuilder ttlMap = new StringBuilder("{");
                for (int j = 0; j < idx.size(); j++) {
                    if (j > 0) { ttlList.append(','); ttlMap.append(','); }
                    ttlList.append(ttlValue(Long.toString(idx.get(j))));
                    ttlMap.append(str("e" + (j + 1))).append(':').append(ttlValue(Long.toString(idx.get(j))));
                }
                line(out, "value-ttl", kg, k, "\"value\":" + ttlValue(Long.toString(n)));
                line(out, "list-ttl", kg, k, "\"value\":" + ttlList + "]");
                line(out, "map-ttl", kg, k, "\"value\":" + ttlMap + "}");
            }
            for (long t = 1; t <= n; t++) {
                line(out, "_timer_state/processing_user-timers", kg, k, "\"timestamp\":" + (PROCESSING_BASE + t));
                line(out, "_timer_state/event_user-timers", kg, k, "\"timestamp\":" + (EVENT_BASE + t));
            }
        }
        return out;
    }

    // ---- the run ----

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]).toAbsolutePath();
        String name = args[1];
        int parallelism = Integer.parseInt(args[2]);
        int maxParallelism = Integer.parseInt(args[3]);
        boolean inline = Boolean.parseBoolean(args[4]);
        boolean compression = Boolean.parseBoolean(args[5]);
        int keys = Integer.parseInt(args[6]);
        boolean ttl = args.length > 7 && args[7].equals("ttl");
        Path work = Files.createTempDirectory("flink-savepoints");

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, work.resolve("savepoints").toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, inline ? MemorySize.parse("1mb") : MemorySize.ZERO);
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, compression);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);

        List<String> seq = sequence(keys);
        ArrayList<String> seqCopy = new ArrayList<>(seq);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(3_600_000L);
        GeneratorFunction<Long, Tuple2<String, Long>> gen =
                i -> Tuple2.of(i < seqCopy.size() ? seqCopy.get((int) (long) i) : "", i);
        DataGeneratorSource<Tuple2<String, Long>> source = new DataGeneratorSource<>(gen, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(500), Types.TUPLE(Types.STRING, Types.LONG));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events").uid("events").setParallelism(1)
                .filter(t -> !t.f0.isEmpty()).uid("drop-heartbeats").setParallelism(1)
                .keyBy(t -> t.f0, Types.STRING)
                .process(new AllPrimitives(ttl)).uid(UID).setParallelism(parallelism).setMaxParallelism(maxParallelism)
                .sinkTo(new DiscardingSink<>()).uid("discard").setParallelism(parallelism);

        MiniClusterConfiguration mcc = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build();
        try (MiniCluster mc = new MiniCluster(mcc)) {
            mc.start();
            var graph = env.getStreamGraph();
            graph.setJobId(new JobID());
            JobID job = mc.submitJob(graph).get().getJobID();
            long deadline = System.currentTimeMillis() + 120_000;
            while (PROCESSED.get() < seq.size()) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("events not processed");
                Thread.sleep(50);
            }
            String canonical = mc.triggerSavepoint(job, work.resolve("savepoints").toString(), false,
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            String nativeSp = mc.triggerSavepoint(job, work.resolve("savepoints").toString(), false,
                    SavepointFormatType.NATIVE).get(60, TimeUnit.SECONDS);
            long checkpointId = mc.triggerCheckpoint(job, CheckpointType.FULL).get(60, TimeUnit.SECONDS);
            mc.cancelJob(job).get(60, TimeUnit.SECONDS);
            while (mc.getJobStatus(job).get() != JobStatus.CANCELED) Thread.sleep(50);
            Path chk = work.resolve("checkpoints").resolve(job.toString()).resolve("chk-" + checkpointId);
            List<String> exp = expected(seq, maxParallelism, ttl);
            copy(Paths.get(java.net.URI.create(canonical.startsWith("file:") ? canonical : "file:" + canonical)),
                    out.resolve(name + "-canonical"), exp);
            copy(Paths.get(java.net.URI.create(nativeSp.startsWith("file:") ? nativeSp : "file:" + nativeSp)),
                    out.resolve(name + "-native"), exp);
            copy(chk, out.resolve(name + "-checkpoint"), exp);
        }
        System.out.println(name + ": " + seq.size() + " events, " + keys + " keys, parallelism " + parallelism
                + ", max parallelism " + maxParallelism + (inline ? ", inline" : ", files")
                + (compression ? ", compressed" : ""));
        System.exit(0);
    }

    static void copy(Path from, Path to, List<String> expected) throws IOException {
        if (Files.exists(to)) {
            try (var walk = Files.walk(to)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.copy(p, to.resolve(p.getFileName()));
        }
        Files.write(to.resolve("expected.jsonl"), expected);
    }
}
