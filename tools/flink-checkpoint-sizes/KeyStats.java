// StateLab's KeyStatsProcessFunction's POJO, as the page shows it: a public class of the default package (its name
// is written into the PojoSerializerSnapshot), public fields, a public no-argument constructor.
public class KeyStats {
    public long count;
    public long sum;

    public KeyStats() {}
}
