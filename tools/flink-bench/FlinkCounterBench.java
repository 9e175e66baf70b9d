// The StateLab benchmark job on real Apache Flink 2.3.0 (local MiniCluster), for a side-by-side comparison
// with the engine (benches/engine.rs): 10,000 uniform keys "user-N", source parallelism 1, keyed operator
// parallelism 4, EventCounterProcessFunction with ValueState<Long> "event-counter", HashMapStateBackend, a
// discarding sink; optionally an exactly-once checkpoint interval. Prints events per second of wall time.
//
//   java -cp 'classes:lib/*' FlinkCounterBench EVENTS KEYS PARALLELISM CHECKPOINT_INTERVAL_MS(0 = off)
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

public class FlinkCounterBench {
    /** The StateLab job's function, verbatim. */
    public static class EventCounterProcessFunction extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
        private transient ValueState<Long> counter;

        @Override
        public void open(OpenContext ctx) {
            counter = getRuntimeContext().getState(new ValueStateDescriptor<>("event-counter", Types.LONG));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Tuple2<String, Long>> out) throws Exception {
            Long current = counter.value();
            long next = (current == null ? 0L : current) + 1;
            counter.update(next);
            out.collect(Tuple2.of(key, next));
        }
    }

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(args[0]);
        long keys = Long.parseLong(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        long interval = Long.parseLong(args[3]);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        if (interval > 0) {
            env.enableCheckpointing(interval);
        }
        env.fromSequence(0, events - 1)
                .setParallelism(1)
                .map(i -> {
                    // SplitMix64-style mixing: uniform keys like the engine's source.
                    long z = i * 0x9E3779B97F4A7C15L;
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    z ^= z >>> 31;
                    return "user-" + Long.remainderUnsigned(z, keys);
                })
                .returns(Types.STRING)
                .setParallelism(1)
                .keyBy(k -> k)
                .process(new EventCounterProcessFunction())
                .returns(Types.TUPLE(Types.STRING, Types.LONG))
                .setParallelism(parallelism)
                .sinkTo(new DiscardingSink<>())
                .setParallelism(parallelism);
        long start = System.nanoTime();
        env.execute("statelab-benchmark-job");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"events\": %d, \"keys\": %d, \"parallelism\": %d, \"checkpointIntervalMs\": %d, "
                + "\"seconds\": %.3f, \"eventsPerSecond\": %.0f}%n", events, keys, parallelism, interval, seconds, events / seconds);
    }
}
