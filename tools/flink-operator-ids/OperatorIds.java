// Prints the operator ids real Flink 2.3 derives for StateLab's job (StreamGraphHasherV2), as the program a
// user writes it: a DataGeneratorSource, keyBy, the EventCounterProcessFunction, a sink — once without uids
// (ids hashed from the graph's shape) and once with uid("event-counter-op") on the keyed operator (its id is
// the murmur3_128 hash of the uid). Output: CSV `variant,parallelism,vertex,operator,operatorId` for
// tools/flink-operator-ids/run.sh.
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

public class OperatorIds {
    public static class EventCounterProcessFunction
            extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
        @Override
        public void processElement(String key, Context ctx, Collector<Tuple2<String, Long>> out) {}
    }

    static void print(String variant, int sourceParallelism, int parallelism, boolean uid) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                i -> "user-" + i, 1000, RateLimiterStrategy.perSecond(1000), Types.STRING);
        SingleOutputStreamOperator<Tuple2<String, Long>> counted = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Source")
                .setParallelism(sourceParallelism)
                .keyBy(k -> k)
                .process(new EventCounterProcessFunction())
                .name("EventCounterProcessFunction");
        if (uid) {
            counted = counted.uid("event-counter-op");
        }
        counted.sinkTo(new DiscardingSink<>()).name("Sink");
        JobGraph graph = env.getStreamGraph().getJobGraph();
        for (JobVertex v : graph.getVerticesSortedTopologicallyFromSources()) {
            for (OperatorIDPair pair : v.getOperatorIDs()) {
                System.out.println(variant + "," + sourceParallelism + "/" + parallelism + "," + v.getID() + ","
                        + v.getName().replace(',', ';') + "," + pair.getGeneratedOperatorID());
            }
        }
    }

    public static void main(String[] args) {
        System.out.println("variant,parallelism,vertex,vertexName,operatorId");
        for (int[] p : new int[][] {{1, 1}, {2, 2}, {1, 4}, {2, 3}}) {
            print("no-uid", p[0], p[1], false);
            print("uid", p[0], p[1], true);
        }
    }
}
