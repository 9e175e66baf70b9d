// The bytes a checkpoint of real Apache Flink 2.3.0's heap backend writes for each keyed-state primitive
// (HeapSnapshotStrategy, Flink's native format, uncompressed): a backend built as tools/flink-heap-primitives builds
// it (max parallelism 128, key groups KEY_GROUPS of one subtask), one state named "state" (or the timer queues of
// a timer service "user-timers"), K keys user-%06d written as there (values 1,000,000,000 + 64 i + j, map keys
// f0, f1, ...; the KeyStats POJO of KeyStats.java as KeyStatsProcessFunction writes it), then snapshot() to memory and the handle's getStateSize(). Prints "case,keyGroups,keys,bytes".
// State TTL (value, list, map) on the backend's own clock NOW: 1 h, or 5 s with cleanupFullSnapshot() and values
// written at 0 and 6,000 ms (the -full cases), the snapshot taken at 7,000 ms.
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.*;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.*;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackendBuilder;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.RunnableFuture;

public class FlinkCheckpointSizes {
    static final class Sum implements AggregateFunction<Long, Long, Long> {
        public Long createAccumulator() { return 0L; }
        public Long add(Long v, Long acc) { return acc + v; }
        public Long getResult(Long acc) { return acc; }
        public Long merge(Long a, Long b) { return a + b; }
    }

    static final class Average implements AggregateFunction<Long, Tuple2<Long, Long>, Double> {
        public Tuple2<Long, Long> createAccumulator() { return Tuple2.of(0L, 0L); }
        public Tuple2<Long, Long> add(Long v, Tuple2<Long, Long> acc) { acc.f0 += v; acc.f1 += 1; return acc; }
        public Double getResult(Tuple2<Long, Long> acc) { return acc.f1 == 0 ? 0.0 : (double) acc.f0 / acc.f1; }
        public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) { return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1); }
    }

    static long distinct(long i, int j) { return 1_000_000_000L + i * 64 + j; }

    /** The backend's processing time for state TTL: set by the cases, read when a snapshot is written. */
    static final java.util.concurrent.atomic.AtomicLong NOW = new java.util.concurrent.atomic.AtomicLong();

    /** When every case's snapshot is taken (ms of the backend's TTL time). */
    static final long SNAPSHOT_AT_MS = 7_000;

    /** When the -full list and map cases write element j of key i (ms): by key, all at 0, alternating from 0, or
     *  all at 6,000 — with a 5 s TTL, a snapshot at 7,000 ms finds those at 0 expired. */
    static long elementAtMs(long i, int j) {
        switch ((int) (i % 3)) {
            case 0: return 0;
            case 1: return j % 2 == 0 ? 0 : 6_000;
            default: return 6_000;
        }
    }

    static HeapKeyedStateBackend<String> backend(KeyGroupRange range) throws Exception {
        TtlTimeProvider time = NOW::get;
        return new HeapKeyedStateBackendBuilder<>(
                null, StringSerializer.INSTANCE, FlinkCheckpointSizes.class.getClassLoader(), 128, range,
                new ExecutionConfig(), time, LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(), Collections.emptyList(),
                UncompressedStreamCompressionDecorator.INSTANCE, LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                new HeapPriorityQueueSetFactory(range, 128, 128), true, new CloseableRegistry()).build();
    }

    static <S extends State> S state(HeapKeyedStateBackend<String> b, StateDescriptor<S, ?> d) throws Exception {
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
    }

    interface Writer { void write(long i) throws Exception; }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static long measure(String spec, KeyGroupRange range, long keys) throws Exception {
        HeapKeyedStateBackend<String> b = backend(range);
        int colon = spec.indexOf(':');
        String p = colon < 0 ? spec : spec.substring(0, colon);
        int n = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1));
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofHours(1)).build();
        Writer w;
        switch (p) {
            case "value": case "value-ttl": {
                ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("state", LongSerializer.INSTANCE);
                if (p.equals("value-ttl")) d.enableTimeToLive(ttl);
                ValueState<Long> s = state(b, d);
                w = i -> s.update(distinct(i, 0));
                break;
            }
            case "value-ttl-full": {
                // A 5 s TTL with cleanupFullSnapshot(): even keys written at 0 ms, odd keys at 6,000 ms, the
                // snapshot at 7,000 ms leaves the even ones (expired) out.
                ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("state", LongSerializer.INSTANCE);
                d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(5)).cleanupFullSnapshot().build());
                ValueState<Long> s = state(b, d);
                w = i -> { NOW.set(i % 2 == 0 ? 0 : 6_000); s.update(distinct(i, 0)); };
                break;
            }
            case "list-ttl": {
                ListStateDescriptor<Long> d = new ListStateDescriptor<>("state", LongSerializer.INSTANCE);
                d.enableTimeToLive(ttl);
                ListState<Long> s = state(b, d);
                w = i -> { for (int j = 0; j < n; j++) s.add(distinct(i, j)); };
                break;
            }
            case "list-ttl-full": {
                // A 5 s TTL with cleanupFullSnapshot(); element j of key i written at elementAtMs(i, j): a third of
                // the keys all at 0 ms (expired at the snapshot: left out), a third alternating 0 / 6,000 ms from
                // 0 ms (written from the first unexpired element on), a third all at 6,000 ms (whole).
                ListStateDescriptor<Long> d = new ListStateDescriptor<>("state", LongSerializer.INSTANCE);
                d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(5)).cleanupFullSnapshot().build());
                ListState<Long> s = state(b, d);
                w = i -> { for (int j = 0; j < n; j++) { NOW.set(elementAtMs(i, j)); s.add(distinct(i, j)); } };
                break;
            }
            case "map-ttl": {
                MapStateDescriptor<String, Long> d = new MapStateDescriptor<>("state", StringSerializer.INSTANCE, LongSerializer.INSTANCE);
                d.enableTimeToLive(ttl);
                MapState<String, Long> s = state(b, d);
                w = i -> { for (int j = 0; j < n; j++) s.put("f" + j, distinct(i, j)); };
                break;
            }
            case "map-ttl-full": {
                // As list-ttl-full, each mapping fj at elementAtMs(i, j): the expired mappings are left out.
                MapStateDescriptor<String, Long> d = new MapStateDescriptor<>("state", StringSerializer.INSTANCE, LongSerializer.INSTANCE);
                d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(5)).cleanupFullSnapshot().build());
                MapState<String, Long> s = state(b, d);
                w = i -> { for (int j = 0; j < n; j++) { NOW.set(elementAtMs(i, j)); s.put("f" + j, distinct(i, j)); } };
                break;
            }
            case "list": {
                ListState<Long> s = state(b, new ListStateDescriptor<>("state", LongSerializer.INSTANCE));
                w = i -> { for (int j = 0; j < n; j++) s.add(distinct(i, j)); };
                break;
            }
            case "map": {
                MapState<String, Long> s = state(b, new MapStateDescriptor<>("state", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
                w = i -> { for (int j = 0; j < n; j++) s.put("f" + j, distinct(i, j)); };
                break;
            }
            case "value-list": {
                ValueState<List<Long>> s = state(b, new ValueStateDescriptor<>("state", new ListSerializer<>(LongSerializer.INSTANCE)));
                w = i -> { List<Long> l = new ArrayList<>(); for (int j = 0; j < n; j++) l.add(distinct(i, j)); s.update(l); };
                break;
            }
            case "value-map": {
                ValueState<Map<String, Long>> s = state(b, new ValueStateDescriptor<>("state", new MapSerializer<>(StringSerializer.INSTANCE, LongSerializer.INSTANCE)));
                w = i -> { Map<String, Long> m = new HashMap<>(); for (int j = 0; j < n; j++) m.put("f" + j, distinct(i, j)); s.update(m); };
                break;
            }
            case "reducing": {
                ReducingState<Long> s = state(b, new ReducingStateDescriptor<>("state", (x, y) -> x + y, LongSerializer.INSTANCE));
                w = i -> s.add(distinct(i, 0));
                break;
            }
            case "aggregating": {
                AggregatingState<Long, Long> s = state(b, new AggregatingStateDescriptor<>("state", new Sum(), LongSerializer.INSTANCE));
                w = i -> s.add(distinct(i, 0));
                break;
            }
            case "aggregating-avg": {
                TypeSerializer<Tuple2<Long, Long>> acc = new TupleSerializer<>((Class) Tuple2.class,
                        new TypeSerializer<?>[] {LongSerializer.INSTANCE, LongSerializer.INSTANCE});
                AggregatingState<Long, Double> s = state(b, new AggregatingStateDescriptor<>("state", new Average(), acc));
                w = i -> s.add(distinct(i, 0));
                break;
            }
            case "keystats": {
                // KeyStatsProcessFunction: a ValueState<KeyStats> (PojoSerializer), the sum changed after update().
                ValueStateDescriptor<KeyStats> d = new ValueStateDescriptor<>("state", KeyStats.class);
                d.initializeSerializerUnlessSet(new ExecutionConfig());
                ValueState<KeyStats> s = state(b, d);
                w = i -> {
                    KeyStats k = s.value();
                    if (k == null) k = new KeyStats();
                    k.count++;
                    s.update(k);
                    k.sum += distinct(i, 0);
                };
                break;
            }
            case "timers": {
                // What InternalTimeServiceManagerImpl registers for a timer service: two priority-queue states.
                TimerSerializer<String, VoidNamespace> ts = new TimerSerializer<>(StringSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE);
                KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<String, VoidNamespace>> proc =
                        b.create("_timer_state/processing_user-timers", ts);
                b.create("_timer_state/event_user-timers", ts);
                w = i -> { for (int j = 0; j < n; j++) proc.add(new TimerHeapInternalTimer<>(distinct(i, j), b.getCurrentKey(), VoidNamespace.INSTANCE)); };
                break;
            }
            default: throw new IllegalArgumentException(spec);
        }
        NOW.set(0);
        for (long i = 0; i < keys; i++) {
            String key = String.format("user-%06d", i);
            int kg = KeyGroupRangeAssignment.assignToKeyGroup(key, 128);
            if (!range.contains(kg)) continue;
            b.setCurrentKey(key);
            w.write(i);
        }
        NOW.set(SNAPSHOT_AT_MS);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> f = b.snapshot(1L, 0L,
                new MemCheckpointStreamFactory(Integer.MAX_VALUE), CheckpointOptions.forCheckpointWithDefaultLocation());
        f.run();
        KeyedStateHandle h = f.get().getJobManagerOwnedSnapshot();
        return h == null ? 0 : h.getStateSize();
    }

    public static void main(String[] args) throws Exception {
        String[] cases = {"value", "value-ttl", "value-ttl-full", "list:1", "list:4", "map:1", "map:4", "value-list:4", "value-map:4",
                "reducing", "aggregating", "aggregating-avg", "timers:1", "timers:2",
                "list-ttl:4", "list-ttl-full:4", "map-ttl:4", "map-ttl-full:4", "keystats"};
        StringBuilder out = new StringBuilder();
        for (String c : cases) {
            for (KeyGroupRange range : new KeyGroupRange[] {KeyGroupRange.of(0, 127), KeyGroupRange.of(0, 63)}) {
                for (long keys : new long[] {0, 1, 1000}) {
                    out.append(c).append(',').append(range.getNumberOfKeyGroups()).append(',').append(keys)
                            .append(',').append(measure(c, range, keys)).append('\n');
                }
            }
        }
        System.out.print(out);
    }
}
