// The heap that N keys of keyed state take in real Apache Flink's HeapKeyedStateBackend, N = 10k..1M in steps of
// 10k, for StateLab's ground truth (tests/data/groundtruth/flink_heap_curve.csv, checked by
// tests/groundtruth_heap.rs).
//
// The backend is built directly (HeapKeyedStateBackendBuilder, as HashMapStateBackend does): String keys, 128 key
// groups (all local, max parallelism 128), one ValueState<Long> "event-counter" in VoidNamespace. Key i is
// String.format("user-%06d", i); for each key the counter's first event runs, value() (null) then update(v), with
// v = 1 (a cached Long: no object per key) or v = 1_000_000_000 + i (a 24-byte Long per key). With access
// `update` only update(v) runs: one map operation per key instead of two, so incremental rehashes advance half as
// fast (what a restore's StateTable.put or a ReducingState.add does). One JVM per run inserts the keys one by one
// and measures after every STEP keys:
//   histo_bytes  the exact difference of live-object class histograms (the DiagnosticCommand behind
//                `jcmd <pid> GC.class_histogram`, which runs a full GC first) against the same histogram taken
//                with the backend built, the state registered and no key inserted;
//   used_bytes   used heap after three System.gc() calls, minus the same at that baseline (JVM noise included);
//   the per-class parts of histo_bytes (entries, bucket arrays, Strings, byte[], Longs, the rest);
//   the key-group maps' layout, read by reflection: how many are mid incremental rehash, and the slots of all
//   primary and rehash tables.
//
//   java -cp 'classes:lib/*' FlinkHeapCurve cached|distinct value-update|update MAX_KEYS STEP [header]
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
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

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

public class FlinkHeapCurve {
    static final String ENTRY = "org.apache.flink.runtime.state.heap.CopyOnWriteStateMap$StateMapEntry";
    static final String ENTRY_ARRAY = "[L" + ENTRY + ";";
    static final String[] CLASSES = {ENTRY, ENTRY_ARRAY, "java.lang.String", "[B", "java.lang.Long"};

    /** Fills `into` with the bytes of live objects of each of CLASSES and, last, the total. Only primitives
     *  outlive the call, so the measurement leaves nothing on the heap that the next histogram would count. */
    static void histogram(long[] into) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        Arrays.fill(into, 0);
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                for (int c = 0; c < CLASSES.length; c++) {
                    if (f[3].equals(CLASSES[c])) {
                        into[c] = Long.parseLong(f[2]);
                    }
                }
            } else if (f.length == 3 && f[0].equals("Total")) {
                into[CLASSES.length] = Long.parseLong(f[2]);
            }
        }
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Object field(Object target, Class<?> owner, String name) throws Exception {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    public static void main(String[] args) throws Exception {
        boolean distinct = args[0].equals("distinct");
        boolean read = args[1].equals("value-update");
        int maxKeys = Integer.parseInt(args[2]);
        int step = Integer.parseInt(args[3]);
        boolean header = args.length > 4 && args[4].equals("header");
        int keyGroups = 128;
        KeyGroupRange range = KeyGroupRange.of(0, keyGroups - 1);
        HeapKeyedStateBackend<String> backend = new HeapKeyedStateBackendBuilder<>(
                null, StringSerializer.INSTANCE, FlinkHeapCurve.class.getClassLoader(), keyGroups, range,
                new ExecutionConfig(), TtlTimeProvider.DEFAULT, LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(), Collections.emptyList(),
                UncompressedStreamCompressionDecorator.INSTANCE, LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                new HeapPriorityQueueSetFactory(range, keyGroups, 128), true, new CloseableRegistry()).build();
        ValueState<Long> counter = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new ValueStateDescriptor<>("event-counter", LongSerializer.INSTANCE));

        // The key-group maps, for their layout.
        Class<?> stateTableClass = Class.forName("org.apache.flink.runtime.state.heap.StateTable");
        Class<?> mapClass = Class.forName("org.apache.flink.runtime.state.heap.CopyOnWriteStateMap");
        Object table = ((Map<?, ?>) field(backend, HeapKeyedStateBackend.class, "registeredKVStates")).get("event-counter");
        Object[] maps = (Object[]) field(table, stateTableClass, "keyGroupedStateMaps");
        Object emptyTable = field(null, mapClass, "EMPTY_TABLE");

        // Warm up everything the measurement itself touches (String.format's caches, the value() path, the
        // diagnostic command), then take the baseline. Key 0's String is made here and stays the current key, so
        // the baseline already holds its 56 bytes: every difference below is 56 bytes short of N keys.
        String firstKey = String.format("user-%06d", 0);
        backend.setCurrentKey(firstKey);
        counter.value();
        long[] base = new long[CLASSES.length + 1];
        long[] now = new long[CLASSES.length + 1];
        long[] parts = new long[CLASSES.length];
        histogram(now);
        usedAfterGc();
        histogram(base);
        long baseUsed = usedAfterGc();

        if (header) {
            System.out.println("value_mode,access,keys,histo_bytes,used_bytes,entries_bytes,bucket_array_bytes,string_bytes,"
                    + "byte_array_bytes,long_bytes,other_bytes,maps_rehashing,primary_slots,rehash_slots");
        }
        for (int i = 0; i < maxKeys; i++) {
            backend.setCurrentKey(i == 0 ? firstKey : String.format("user-%06d", i));
            Long current = read ? counter.value() : null;
            if (current != null) {
                throw new IllegalStateException("key " + i + " was already in state");
            }
            counter.update(distinct ? 1_000_000_000L + i : 1L);
            int keys = i + 1;
            if (keys % step != 0) {
                continue;
            }
            histogram(now);
            long used = usedAfterGc() - baseUsed;
            long total = now[CLASSES.length] - base[CLASSES.length];
            long listed = 0;
            for (int c = 0; c < CLASSES.length; c++) {
                parts[c] = now[c] - base[c];
                listed += parts[c];
            }
            int rehashing = 0;
            long primarySlots = 0;
            long rehashSlots = 0;
            for (Object map : maps) {
                primarySlots += ((Object[]) field(map, mapClass, "primaryTable")).length;
                Object[] rehash = (Object[]) field(map, mapClass, "incrementalRehashTable");
                if (rehash != emptyTable) {
                    rehashing++;
                    rehashSlots += rehash.length;
                }
            }
            System.out.printf("%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n", args[0], args[1], keys,
                    total, used, parts[0], parts[1], parts[2], parts[3], parts[4], total - listed, rehashing,
                    primarySlots, rehashSlots);
            System.out.flush();
        }
        if (backend.numKeyValueStateEntries() != maxKeys) {
            throw new IllegalStateException("expected " + maxKeys + " entries, found " + backend.numKeyValueStateEntries());
        }
        backend.dispose();
    }
}
