// The heap that N keys of each keyed-state primitive take in real Apache Flink 2.3's HeapKeyedStateBackend (what
// HashMapStateBackend builds), object by object, for StateLab's ground truth
// (tests/data/groundtruth/flink_heap_primitives.csv, written by run.sh, explained in docs/heap-primitives.md).
//
// The backend is built directly, as tools/flink-heap-curve does: String keys, max parallelism 128 and one subtask
// owning all 128 key groups, VoidNamespace, TTL time = the wall clock. Key i is String.format("user-%06d", i),
// a new String per key. For each key, in key order, the case's "first events" run (make() below says which state
// calls, and how many StateTable operations they make: every operation on a key-group map that is mid
// incremental rehash moves at least 4 entries, so the number of operations per key decides which maps are still
// rehashing when the measurement is taken). After the last key of each size in SIZES the heap is measured:
//   histo       the live-object class histogram (the DiagnosticCommand behind `jcmd <pid> GC.class_histogram`,
//               which runs a full GC first), printed whole, as is the same histogram taken with everything
//               registered and warmed up but no key written: aggregate.py takes the per-class differences;
//   used        used heap after three System.gc() calls, minus the same at that baseline (JVM noise included);
//   tables      the key-group maps of the state (CopyOnWriteStateMap: primary and incremental-rehash tables,
//               read by reflection), or for timers the processing-time queue (HeapPriorityQueueSet: heap array
//               length, the per-key-group deduplication HashMaps' tables).
// Before the baseline the case writes and clears a String constant that stays the current key (WARM): the write
// path's lazily made objects are then in the baseline, and nothing of a measured key is, so every difference is
// exactly the N keys (plus a few bytes of per-state objects made on first use).
//
// Cases ending in "-cow" fill the state as the case without the suffix, then take a checkpoint's synchronous
// snapshot (CopyOnWriteStateTable.stateSnapshot(), which bumps every map's version), read every key once while
// the snapshot is alive (copy-on-write: the entry and, through the state serializer's copy(), the list or map
// are copied), release the snapshot and measure: what a key touched during a checkpoint's asynchronous phase
// looks like afterwards.
//
//   java --add-opens java.base/java.util=ALL-UNNAMED -cp 'classes:lib/*' FlinkHeapPrimitives CASE[:N] SIZES RUN
//   e.g. FlinkHeapPrimitives list:4 1000,10000,100000 1     (SIZES ascending; a -cow case takes one size)
// Prints lines
//   HISTO,jvm,base,class,instances,bytes           the baseline's class histogram
//   HISTO,jvm,keys,class,instances,bytes           the histogram after `keys` keys
//   ROW,jvm,primitive,param,keys,run,used_bytes,tables_after,map_ops_per_key
// where jvm tells this JVM from the others (its pid and start time),
// and keeps nothing of a histogram on the heap (run.sh's aggregate.py takes the differences).
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.UncompressedStreamCompressionDecorator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackendBuilder;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.streaming.api.operators.InternalTimeServiceManagerImpl;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.StreamTaskCancellationContext;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class FlinkHeapPrimitives {
    /** The baseline's current key: a constant, alive before and after, so no measured key is in the baseline. */
    static final String WARM = "warm-up-key";
    /** Map keys of map-sharedkeys: 64 String objects made before the baseline and shared by every key. */
    static final String[] SHARED_KEYS = new String[64];
    /** Strings a POJO field points to: made before the baseline, shared. */
    static final String[] PAGES = {"home", "cart", "checkout", "search"};

    /** A POJO value: 12 header + 8 + 8 + a 4-byte reference = 32 bytes. */
    public static class Visit {
        public long count;
        public long lastSeen;
        public String page;

        public Visit() {}
    }

    /** StateLab's KeyStatsProcessFunction's POJO: 12 header + two longs = 28, aligned to 32 bytes. */
    public static class KeyStats {
        public long count;
        public long sum;

        public KeyStats() {}
    }

    /** Average accumulator (sum, count) in a Tuple2, mutated in place. */
    static final class Average implements AggregateFunction<Long, Tuple2<Long, Long>, Double> {
        public Tuple2<Long, Long> createAccumulator() {
            return Tuple2.of(0L, 0L);
        }

        public Tuple2<Long, Long> add(Long value, Tuple2<Long, Long> acc) {
            acc.f0 += value;
            acc.f1 += 1;
            return acc;
        }

        public Double getResult(Tuple2<Long, Long> acc) {
            return acc.f1 == 0 ? 0.0 : (double) acc.f0 / acc.f1;
        }

        public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
            return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
        }
    }

    /** Sum accumulator in a Long: AggregatingState<Long, Long, Long>. */
    static final class Sum implements AggregateFunction<Long, Long, Long> {
        public Long createAccumulator() {
            return 0L;
        }

        public Long add(Long value, Long acc) {
            return acc + value;
        }

        public Long getResult(Long acc) {
            return acc;
        }

        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Measurement (as tools/flink-heap-curve/FlinkHeapCurve.java)

    /** Prints the live-object class histogram as lines HISTO,<tag>,class,instances,bytes (tag: the JVM and
     *  "base" for the baseline, otherwise the JVM and the key count). Nothing of it stays on the heap: the baseline lives
     *  in the output, and run.sh's aggregation takes the differences. */
    static void histogram(String tag) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        if (tag == null) {
            return;
        }
        StringBuilder out = new StringBuilder(text.length() * 2);
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.append("HISTO,").append(tag).append(',').append(f[3]).append(',').append(f[1]).append(',')
                        .append(f[2]).append('\n');
            }
        }
        System.out.print(out);
        System.out.flush();
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Object field(Object target, String className, String name) throws Exception {
        Field f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    static String key(int i) {
        return String.format("user-%06d", i);
    }

    /** A map key "f<j>": a new String (and byte[]) each call. */
    static String userKey(int j) {
        return "f" + j;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The cases

    /** One case: registers its state before the baseline, warms up its read path, writes one key. */
    abstract static class Case {
        String primitive;
        String param = "-";
        int n = 1;
        String stateName;
        /** StateTable operations (get / put / transform) per key while filling. */
        abstract int mapOps();
        abstract void register() throws Exception;
        abstract void warm() throws Exception;
        abstract void write(int i) throws Exception;
        /** A -cow case's one read of the current key while the snapshot is alive. */
        void read() throws Exception {
            throw new UnsupportedOperationException(primitive + " has no -cow variant");
        }
    }

    static HeapKeyedStateBackend<String> backend;
    static StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofHours(1))
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build();

    /** The case's state, for the warm-up's clear(). */
    static org.apache.flink.api.common.state.State registered;

    static <S extends org.apache.flink.api.common.state.State> S state(StateDescriptor<S, ?> d) throws Exception {
        S s = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
        registered = s;
        return s;
    }

    static long distinct(int i, int j) {
        return 1_000_000_000L + (long) i * 64 + j; // never in Long's cache: one Long object each
    }

    static Case make(String primitive, int n) {
        Case c;
        switch (primitive) {
            case "value-cached":
            case "value-distinct":
            case "value-ttl": {
                final boolean cached = primitive.equals("value-cached");
                final boolean withTtl = primitive.equals("value-ttl");
                c = new Case() {
                    ValueState<Long> s;
                    int mapOps() { return 2; }
                    void register() throws Exception {
                        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(stateName, LongSerializer.INSTANCE);
                        if (withTtl) d.enableTimeToLive(ttl);
                        s = state(d);
                    }
                    void warm() throws Exception { s.value(); }
                    void write(int i) throws Exception {
                        if (s.value() != null) throw new IllegalStateException("key " + i + " already in state");
                        s.update(cached ? 1L : distinct(i, 0));
                    }
                };
                break;
            }
            case "list":
            case "list-ttl":
            case "list-cow": {
                final boolean withTtl = primitive.equals("list-ttl");
                c = new Case() {
                    ListState<Long> s;
                    int mapOps() { return n + 1; } // get (null), put (new ArrayList), then get per further add
                    void register() throws Exception {
                        ListStateDescriptor<Long> d = new ListStateDescriptor<>(stateName, LongSerializer.INSTANCE);
                        if (withTtl) d.enableTimeToLive(ttl);
                        s = state(d);
                    }
                    void warm() throws Exception { s.get(); }
                    void write(int i) throws Exception {
                        for (int j = 0; j < n; j++) s.add(distinct(i, j));
                    }
                    void read() throws Exception { s.get().iterator().next(); }
                };
                break;
            }
            case "map":
            case "map-sharedkeys":
            case "map-ttl":
            case "map-cow": {
                final boolean withTtl = primitive.equals("map-ttl");
                final boolean shared = primitive.equals("map-sharedkeys");
                c = new Case() {
                    MapState<String, Long> s;
                    int mapOps() { return n + 1; } // get (null), put (new HashMap), then get per further put
                    void register() throws Exception {
                        MapStateDescriptor<String, Long> d = new MapStateDescriptor<>(
                                stateName, StringSerializer.INSTANCE, LongSerializer.INSTANCE);
                        if (withTtl) d.enableTimeToLive(ttl);
                        s = state(d);
                    }
                    void warm() throws Exception { s.get("f0"); }
                    void write(int i) throws Exception {
                        for (int j = 0; j < n; j++) s.put(shared ? SHARED_KEYS[j] : userKey(j), distinct(i, j));
                    }
                    void read() throws Exception { s.get("f0"); }
                };
                break;
            }
            case "value-map": {
                c = new Case() {
                    ValueState<Map<String, Long>> s;
                    int mapOps() { return 2 * n; } // value() + update() per element
                    void register() throws Exception {
                        s = state(new ValueStateDescriptor<>(stateName,
                                new MapSerializer<>(StringSerializer.INSTANCE, LongSerializer.INSTANCE)));
                    }
                    void warm() throws Exception { s.value(); }
                    void write(int i) throws Exception {
                        for (int j = 0; j < n; j++) {
                            Map<String, Long> m = s.value();
                            if (m == null) m = new HashMap<>();
                            m.put(userKey(j), distinct(i, j));
                            s.update(m);
                        }
                    }
                };
                break;
            }
            case "value-list": {
                c = new Case() {
                    ValueState<List<Long>> s;
                    int mapOps() { return 2 * n; } // value() + update() per element
                    void register() throws Exception {
                        s = state(new ValueStateDescriptor<>(stateName, new ListSerializer<>(LongSerializer.INSTANCE)));
                    }
                    void warm() throws Exception { s.value(); }
                    void write(int i) throws Exception {
                        for (int j = 0; j < n; j++) {
                            List<Long> l = s.value();
                            if (l == null) l = new ArrayList<>();
                            l.add(distinct(i, j));
                            s.update(l);
                        }
                    }
                };
                break;
            }
            case "reducing": {
                c = new Case() {
                    ReducingState<Long> s;
                    int mapOps() { return 1; } // transform
                    void register() throws Exception {
                        s = state(new ReducingStateDescriptor<>(stateName, (a, b) -> a + b, LongSerializer.INSTANCE));
                    }
                    void warm() throws Exception { s.get(); }
                    void write(int i) throws Exception { s.add(distinct(i, 0)); }
                };
                break;
            }
            case "aggregating": {
                c = new Case() {
                    AggregatingState<Long, Long> s;
                    int mapOps() { return 1; } // transform
                    void register() throws Exception {
                        s = state(new AggregatingStateDescriptor<>(stateName, new Sum(), LongSerializer.INSTANCE));
                    }
                    void warm() throws Exception { s.get(); }
                    void write(int i) throws Exception { s.add(distinct(i, 0)); }
                };
                break;
            }
            case "aggregating-avg": {
                c = new Case() {
                    AggregatingState<Long, Double> s;
                    int mapOps() { return 1; } // transform
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    void register() throws Exception {
                        TypeSerializer<Tuple2<Long, Long>> acc = new TupleSerializer<>((Class) Tuple2.class,
                                new TypeSerializer<?>[] {LongSerializer.INSTANCE, LongSerializer.INSTANCE});
                        s = state(new AggregatingStateDescriptor<>(stateName, new Average(), acc));
                    }
                    void warm() throws Exception { s.get(); }
                    void write(int i) throws Exception { s.add(distinct(i, 0)); }
                };
                break;
            }
            case "pojo": {
                c = new Case() {
                    ValueState<Visit> s;
                    int mapOps() { return 2; }
                    void register() throws Exception {
                        ValueStateDescriptor<Visit> d = new ValueStateDescriptor<>(stateName, Visit.class);
                        d.initializeSerializerUnlessSet(new ExecutionConfig());
                        s = state(d);
                    }
                    void warm() throws Exception { s.value(); }
                    void write(int i) throws Exception {
                        Visit v = s.value();
                        if (v == null) v = new Visit();
                        v.count += 1;
                        v.lastSeen = distinct(i, 0);
                        v.page = PAGES[i & 3];
                        s.update(v);
                    }
                };
                break;
            }
            case "keystats":
            case "keystats-cow": {
                // KeyStatsProcessFunction's processElement: the sum is changed after update(), on the object the
                // state holds.
                c = new Case() {
                    ValueState<KeyStats> s;
                    int mapOps() { return 2; } // get, put
                    void register() throws Exception {
                        ValueStateDescriptor<KeyStats> d = new ValueStateDescriptor<>(stateName, KeyStats.class);
                        d.initializeSerializerUnlessSet(new ExecutionConfig());
                        s = state(d);
                    }
                    void warm() throws Exception { s.value(); }
                    void write(int i) throws Exception {
                        KeyStats k = s.value();
                        if (k == null) k = new KeyStats();
                        k.count++;
                        s.update(k);
                        k.sum += distinct(i, 0);
                    }
                    void read() throws Exception { s.value(); }
                };
                break;
            }
            case "timers": {
                c = new Case() {
                    InternalTimerService<VoidNamespace> timers;
                    long base = System.currentTimeMillis() + 86_400_000L; // a day ahead: nothing fires
                    int mapOps() { return 0; }
                    void register() throws Exception {
                        Triggerable<String, VoidNamespace> none = new Triggerable<String, VoidNamespace>() {
                            public void onEventTime(InternalTimer<String, VoidNamespace> t) {}
                            public void onProcessingTime(InternalTimer<String, VoidNamespace> t) {}
                        };
                        KeyContext keys = new KeyContext() {
                            public void setCurrentKey(Object k) { backend.setCurrentKey((String) k); }
                            public Object getCurrentKey() { return backend.getCurrentKey(); }
                        };
                        // SystemProcessingTimeService, as a StreamTask has (its constructor is package-private).
                        Class<?> handler = Class.forName(
                                "org.apache.flink.streaming.runtime.tasks.SystemProcessingTimeService$ExceptionHandler");
                        Constructor<?> ctor = Class.forName(
                                "org.apache.flink.streaming.runtime.tasks.SystemProcessingTimeService")
                                .getDeclaredConstructor(handler);
                        ctor.setAccessible(true);
                        Object onError = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(),
                                new Class<?>[] {handler}, (p, m, a) -> {
                                    if (m.getName().equals("handleException")) ((Throwable) a[0]).printStackTrace();
                                    return null;
                                });
                        processingTime = (ProcessingTimeService) ctor.newInstance(onError);
                        InternalTimeServiceManagerImpl<String> manager = InternalTimeServiceManagerImpl.create(
                                null, backend, backend.getKeyGroupRange(), FlinkHeapPrimitives.class.getClassLoader(),
                                keys, processingTime, Collections.emptyList(),
                                StreamTaskCancellationContext.alwaysRunning());
                        // A second service, only to warm up the registration path before the baseline.
                        warmTimers = manager.getInternalTimerService("warm-up", StringSerializer.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE, none);
                        timers = manager.getInternalTimerService(stateName, StringSerializer.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE, none);
                        timerQueue = field(timers, "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl",
                                "processingTimeTimersQueue");
                    }
                    InternalTimerService<VoidNamespace> warmTimers;
                    void warm() throws Exception {
                        warmTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, base - 1);
                        warmTimers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, base - 1);
                        warmTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, base - 2);
                    }
                    void write(int i) throws Exception {
                        for (int j = 0; j < n; j++) {
                            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, base + (long) i * n + j);
                        }
                    }
                };
                break;
            }
            default:
                throw new IllegalArgumentException("unknown case " + primitive);
        }
        c.primitive = primitive;
        c.n = n;
        c.stateName = primitive.startsWith("timers") ? "timers" : primitive + "-state";
        return c;
    }

    static ProcessingTimeService processingTime;
    static Object timerQueue;

    /** The layout of the state's key-group maps, or of the timer queue, as the public file spells it. */
    static String tables(Case c) throws Exception {
        if (timerQueue != null) {
            Object[] heap = (Object[]) field(timerQueue,
                    "org.apache.flink.runtime.state.heap.AbstractHeapPriorityQueue", "queue");
            HashMap<?, ?>[] dedup = (HashMap<?, ?>[]) field(timerQueue,
                    "org.apache.flink.runtime.state.heap.HeapPriorityQueueSet", "deduplicationMapsByKeyGroup");
            long slots = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (HashMap<?, ?> m : dedup) {
                Object[] t = (Object[]) field(m, "java.util.HashMap", "table");
                int len = t == null ? 0 : t.length;
                slots += len;
                min = Math.min(min, len);
                max = Math.max(max, len);
            }
            return "heapArrayLength=" + heap.length + ";dedupMaps=" + dedup.length + ";dedupTableSlotsSum=" + slots
                    + ";dedupTableCapMin=" + min + ";dedupTableCapMax=" + max;
        }
        String mapClass = "org.apache.flink.runtime.state.heap.CopyOnWriteStateMap";
        Object table = ((Map<?, ?>) field(backend, "org.apache.flink.runtime.state.heap.HeapKeyedStateBackend",
                "registeredKVStates")).get(c.stateName);
        Object[] maps = (Object[]) field(table, "org.apache.flink.runtime.state.heap.StateTable", "keyGroupedStateMaps");
        Object empty = field(null, mapClass, "EMPTY_TABLE");
        long primary = 0;
        long rehash = 0;
        int rehashing = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Object map : maps) {
            int len = ((Object[]) field(map, mapClass, "primaryTable")).length;
            primary += len;
            min = Math.min(min, len);
            max = Math.max(max, len);
            Object[] r = (Object[]) field(map, mapClass, "incrementalRehashTable");
            if (r != empty) {
                rehashing++;
                rehash += r.length;
            }
        }
        return "stateMaps=" + maps.length + ";primarySlotsSum=" + primary + ";rehashSlotsSum=" + rehash
                + ";mapsRehashing=" + rehashing + ";tableCapMin=" + min + ";tableCapMax=" + max;
    }

    /** A checkpoint's synchronous snapshot of the case's state table, a read of keys 0..keys-1 while it is
     *  alive, then its release (what the asynchronous phase does when it is done). */
    static void snapshotAndRead(Case c, int keys) throws Exception {
        Object table = ((Map<?, ?>) field(backend, "org.apache.flink.runtime.state.heap.HeapKeyedStateBackend",
                "registeredKVStates")).get(c.stateName);
        Method snap = Class.forName("org.apache.flink.runtime.state.heap.CopyOnWriteStateTable")
                .getMethod("stateSnapshot");
        snap.setAccessible(true);
        Object snapshot = snap.invoke(table);
        if (keys < 0) {
            c.read(); // the current key only
        }
        for (int i = 0; i < keys; i++) {
            backend.setCurrentKey(key(i));
            c.read();
        }
        Method release = Class.forName("org.apache.flink.runtime.state.heap.CopyOnWriteStateTableSnapshot")
                .getMethod("release");
        release.setAccessible(true);
        release.invoke(snapshot);
        if (keys > 0) {
            backend.setCurrentKey(key(keys - 1));
        }
    }

    static final String JVM = ProcessHandle.current().pid() + "-" + System.currentTimeMillis();

    static String tag(Case c, int keys, String run) {
        return c.primitive + "," + c.param + "," + keys + "," + run;
    }

    static String rowLine(String tag, long used, String tables, Case c, boolean cow) {
        return String.format("ROW,%s,%s,%d,%s,%d%s%n", JVM, tag, used, tables, c.mapOps(), cow ? "+1" : "");
    }

    public static void main(String[] args) throws Exception {
        String spec = args[0];
        String[] sizeArgs = args[1].split(",");
        String run = args[2];
        int colon = spec.indexOf(':');
        String primitive = colon < 0 ? spec : spec.substring(0, colon);
        int n = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1));
        boolean cow = primitive.endsWith("-cow");
        if (cow && sizeArgs.length != 1) {
            throw new IllegalArgumentException("a -cow case takes one size per JVM");
        }
        for (int j = 0; j < SHARED_KEYS.length; j++) {
            SHARED_KEYS[j] = "f" + j;
        }

        int keyGroups = 128;
        KeyGroupRange range = KeyGroupRange.of(0, keyGroups - 1);
        backend = new HeapKeyedStateBackendBuilder<>(
                null, StringSerializer.INSTANCE, FlinkHeapPrimitives.class.getClassLoader(), keyGroups, range,
                new ExecutionConfig(), TtlTimeProvider.DEFAULT, LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(), Collections.emptyList(),
                UncompressedStreamCompressionDecorator.INSTANCE, LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                new HeapPriorityQueueSetFactory(range, keyGroups, 128), true, new CloseableRegistry()).build();
        Case c = make(primitive, n);
        if (colon >= 0) {
            c.param = Integer.toString(n);
        }
        c.register();

        // Warm up what the measurement touches (String.format and the other string building, the state's read
        // path, the reflection behind tables(), the diagnostic command, and for -cow the snapshot path), with the
        // constant WARM as current key, then take the baseline.
        key(0);
        userKey(0);
        // The warm-up writes WARM's state as a key's first event does (and for -cow reads it under a snapshot),
        // then clears it: the write path's lazily made objects (lambdas, TTL wrappers' call sites, ...) are then
        // in the baseline, and WARM leaves nothing in the maps.
        backend.setCurrentKey(WARM);
        c.warm();
        if (registered != null) {
            c.write(0);
            if (cow) {
                // PojoSerializer.copy instantiates through reflection, which the JVM inflates into generated
                // accessors (a DelegatingClassLoader and its classes) after 15 calls: keystats-cow copies WARM's
                // object 20 times, so that happens before the baseline rather than in the measured keys.
                int copies = primitive.startsWith("keystats") ? 20 : 1;
                for (int k = 0; k < copies; k++) {
                    snapshotAndRead(c, -1);
                }
            }
            registered.clear();
        }
        tables(c);
        // Every row's tag is made now, so that the baseline holds them too.
        String[] tags = new String[sizeArgs.length];
        for (int s = 0; s < sizeArgs.length; s++) {
            tags[s] = tag(c, Integer.parseInt(sizeArgs[s]), run);
        }
        String baseTag = JVM + ",base";
        String[] histoTags = new String[sizeArgs.length];
        for (int s = 0; s < sizeArgs.length; s++) {
            histoTags[s] = JVM + "," + Integer.parseInt(sizeArgs[s]);
        }
        rowLine(tags[0], 0, tables(c), c, cow);
        // Full GCs, then time for the Cleaner thread to drop what they freed (method-handle call-site contexts
        // of the warm-up), so that it does not happen between the baseline and the measurement.
        histogram(null);
        usedAfterGc();
        Thread.sleep(300);
        usedAfterGc();
        histogram(baseTag);
        long baseUsed = usedAfterGc();

        int done = 0;
        for (int s = 0; s < sizeArgs.length; s++) {
            int keys = Integer.parseInt(sizeArgs[s]);
            for (int i = done; i < keys; i++) {
                backend.setCurrentKey(key(i));
                c.write(i);
            }
            done = keys;
            if (cow) {
                snapshotAndRead(c, keys);
            }
            String tag = tags[s];
            histogram(histoTags[s]);
            long used = usedAfterGc() - baseUsed;
            System.out.print(rowLine(tag, used, tables(c), c, cow));
            System.out.flush();
        }
        if (processingTime != null) {
            ((org.apache.flink.streaming.runtime.tasks.TimerService) processingTime).shutdownService();
        }
        backend.dispose();
    }
}
