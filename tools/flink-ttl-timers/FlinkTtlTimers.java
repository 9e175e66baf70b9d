// Traces of real Apache Flink 2.3.0's heap backend that tests/heap_ttl.rs and tests/heap_timers.rs replay step by
// step: (1) a ValueState<Long> with TTL, its incremental cleanup removing expired values a few entries per access,
// the number of entries after every access; (2) the same with writes and expiry going on while the maps resize
// and rehash; (3) a timer queue (HeapPriorityQueueSet of TimerHeapInternalTimers) under seeded adds, removes and
// polls, every polled timer in order (ties between equal timestamps are the heap's).
// Built directly as tools/flink-heap-primitives builds it: HeapKeyedStateBackendBuilder, max parallelism 128, one
// subtask owning all key groups, VoidNamespace, a TtlTimeProvider the trace sets by hand.
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateTtlConfig;
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
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import java.time.Duration;
import java.util.Collections;

public class FlinkTtlTimers {
    static long now = 0;
    static final long HOUR = 3_600_000L;

    static HeapKeyedStateBackend<String> backend() throws Exception {
        int keyGroups = 128;
        KeyGroupRange range = KeyGroupRange.of(0, keyGroups - 1);
        return new HeapKeyedStateBackendBuilder<>(
                null, StringSerializer.INSTANCE, FlinkTtlTimers.class.getClassLoader(), keyGroups, range,
                new ExecutionConfig(), () -> now, LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(), Collections.emptyList(),
                UncompressedStreamCompressionDecorator.INSTANCE, LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                new HeapPriorityQueueSetFactory(range, keyGroups, 128), true, new CloseableRegistry()).build();
    }

    static ValueState<Long> ttlState(HeapKeyedStateBackend<String> b, long ttlMs) throws Exception {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("counter", LongSerializer.INSTANCE);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs)).build());
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
    }

    static String user(long i) {
        return String.format("user-%06d", i);
    }

    /** xorshift64 (13, 7, 17), as the Rust side's. */
    static long state = 0x2545F4914F6CDD1DL;
    static long next(long n) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        return Long.remainderUnsigned(state, n);
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder();
        // (1) 2,000 keys written at t = 0, one key kept alive, read every minute after the others expired.
        {
            HeapKeyedStateBackend<String> b = backend();
            ValueState<Long> s = ttlState(b, HOUR);
            now = 0;
            for (long i = 0; i < 2000; i++) {
                b.setCurrentKey(user(i));
                s.value();
                s.update(1_000_000L + i * 100);
            }
            now = HOUR - 1;
            b.setCurrentKey("alive");
            s.update(1L);
            out.append("expired-sweep,-1,").append(b.numKeyValueStateEntries()).append('\n');
            for (long read = 0; b.numKeyValueStateEntries() > 1 && read < 20000; read++) {
                now = HOUR + (read * 60_000L) % HOUR;
                b.setCurrentKey("alive");
                s.value();
                out.append("expired-sweep,").append(read).append(',').append(b.numKeyValueStateEntries()).append('\n');
            }
        }
        // (2) 6,000 writes 10 ms apart to 1,500 keys in a scattered order, a TTL of 2 s: values expire while the
        // maps still grow and rehash; every update is one access of the cleanup.
        {
            HeapKeyedStateBackend<String> b = backend();
            ValueState<Long> s = ttlState(b, 2_000);
            for (long i = 0; i < 6000; i++) {
                now = i * 10;
                b.setCurrentKey(user((i * 7919) % 1500));
                s.update(i);
                out.append("rolling,").append(i).append(',').append(b.numKeyValueStateEntries()).append('\n');
            }
        }
        // (3) A timer queue under seeded operations: 0, 1 add (key user-(r % 300), time r % 1000), 2 remove,
        // 3 poll (the polled timer is printed).
        {
            HeapPriorityQueueSetFactory factory = new HeapPriorityQueueSetFactory(KeyGroupRange.of(0, 127), 128, 128);
            HeapPriorityQueueSet<TimerHeapInternalTimer<String, VoidNamespace>> q = factory.create(
                    "_timer_state/processing_user-timers",
                    new TimerSerializer<>(StringSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE));
            for (int op = 0; op < 20000; op++) {
                String key = user(next(300));
                long ts = next(1000);
                long kind = next(4);
                TimerHeapInternalTimer<String, VoidNamespace> t = new TimerHeapInternalTimer<>(ts, key, VoidNamespace.INSTANCE);
                if (kind <= 1) {
                    q.add(t);
                } else if (kind == 2) {
                    q.remove(t);
                } else {
                    TimerHeapInternalTimer<String, VoidNamespace> p = q.poll();
                    out.append("timers,").append(op).append(',')
                            .append(p == null ? "-" : p.getKey() + "@" + p.getTimestamp()).append('\n');
                }
            }
            out.append("timers,end,").append(q.size()).append('\n');
        }
        System.out.print(out);
    }
}
