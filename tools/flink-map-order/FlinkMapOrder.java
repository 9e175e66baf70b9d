import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;

/**
 * The order in which a {@code MapState<String, Long>}'s {@code HashMap} iterates its mappings, after seeded
 * sequences of puts and removes, and the order of the maps Flink copies it into. The map is the state object of
 * Flink's {@code HeapMapState} (a {@code new HashMap<>()} on a key's first put; a map a remove leaves empty is
 * dropped with the key's state, as {@code HeapMapState.remove} drops it) and of {@code TtlMapState} over it; its
 * iteration order is that of {@code entries()}, {@code keys()}, {@code values()} and {@code toString()}. One case
 * per line:
 *
 * <pre>case &lt;i&gt;: &lt;op&gt; &lt;op&gt; … | {map} | {copy} | {rebuilt}</pre>
 *
 * an op {@code +key} (put, the value the op's 0-based index) or {@code -key} (remove); then, as {@code toString()}
 * writes them: the map; its copy by Flink 2.3's own {@code MapSerializer.copy} (copy-on-write under a snapshot,
 * {@code CollectionUtil.newHashMapWithExpectedSize} and a put of each mapping in the map's order); and the map
 * rebuilt as {@code TtlMapState.getUnexpiredOrNull} and the TTL snapshot transformer rebuild it ({@code new
 * HashMap<>()} and a put of each mapping in the map's order, none expired). The cases are drawn from {@code new
 * Random(i)}: short and long sequences over small and large key spaces (up to a few hundred mappings, so that
 * tables resize several times), keys like the job presets' categories and plain numbered ones.
 */
public class FlinkMapOrder {
    private static final String[] WORDS = {"click", "view", "buy", "cart", "search", "login", "logout", "share"};

    public static void main(String[] args) {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        MapSerializer<String, Long> serializer =
                new MapSerializer<>(StringSerializer.INSTANCE, LongSerializer.INSTANCE);
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < cases; c++) {
            Random rng = new Random(c);
            int space = 1 + rng.nextInt(c % 3 == 0 ? 400 : 40);
            int ops = 1 + rng.nextInt(c % 5 == 0 ? 900 : 60);
            int removeIn = 2 + rng.nextInt(6);
            Map<String, Long> map = new HashMap<>();
            out.append("case ").append(c).append(':');
            for (int o = 0; o < ops; o++) {
                int k = rng.nextInt(space);
                String key = k < WORDS.length && c % 2 == 0 ? WORDS[k] : "k" + k;
                if (rng.nextInt(removeIn) == 0) {
                    map.remove(key);
                    if (map.isEmpty()) {
                        map = new HashMap<>();
                    }
                    out.append(" -").append(key);
                } else {
                    map.put(key, (long) o);
                    out.append(" +").append(key);
                }
            }
            Map<String, Long> rebuilt = new HashMap<>();
            for (Map.Entry<String, Long> e : map.entrySet()) {
                rebuilt.put(e.getKey(), e.getValue());
            }
            out.append(" | ").append(map);
            out.append(" | ").append(serializer.copy(map));
            out.append(" | ").append(rebuilt).append('\n');
        }
        System.out.print(out);
    }
}
