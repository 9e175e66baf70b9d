//! `KeyGenerator.java` (the `GeneratorFunction` of the program's `DataGeneratorSource`) and
//! `StateLabRandom.java`: which key event `i` carries, ported from StateLab's source (`source::random`,
//! `source::key_distribution`, the key format of `keys::key_registry`) so that the program emits the very keys
//! StateLab's source emits, or reads the replayed keys from a resource, one per line.

use super::flink_project::{ProjectFile, JAVA_DIR};
use super::java_literal;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::keys::java_key::{JavaKey, JavaKeyType};
use crate::engine::keys::key_registry::KeyFormat;
use crate::engine::source::key_distribution::KeyDistribution;

/// The resource holding the replayed keys.
pub(super) const REPLAY_RESOURCE: &str = "replay-keys.txt";

const STATE_LAB_RANDOM_JAVA: &str = r#"package statelab.job;

/**
 * StateLab's deterministic, counter-based randomness (src/engine/source/random.rs), ported bit for bit. Every
 * random choice is a pure function of the seed, a stream (what is being decided) and a counter (for which
 * event), so event i gets the same key whichever source subtask generates it and however often a restore
 * makes the source generate it again.
 *
 * <p>The mixer is SplitMix64's finaliser applied twice (Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", 2014). StateLab's numbers are unsigned 64-bit; Java's long has the same bits, its
 * arithmetic wraps around like Rust's wrapping_mul and wrapping_add, and >>> is the unsigned shift.
 */
final class StateLabRandom {
    /** The stream of the key each event carries. */
    static final long KEY = 1L;
    /** The stream of the hot key's coin flip. */
    static final long HOT_KEY_COIN = 2L;

    private StateLabRandom() {}

    private static long fmix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits for (seed, stream, counter). */
    static long randomU64(long seed, long stream, long counter) {
        long s = fmix64(seed + stream * 0x9E3779B97F4A7C15L);
        return fmix64(s ^ (counter * 0xD6E8FEB86659FD93L + 0x2545F4914F6CDD1DL));
    }

    /** Uniform in [0, 1) with 53 random bits. */
    static double randomUnit(long seed, long stream, long counter) {
        return (randomU64(seed, stream, counter) >>> 11) * (1.0 / (1L << 53));
    }

    /**
     * Uniform in [0, n) for n > 0: Lemire's multiply-shift, the high 64 bits of the 128-bit product of the random
     * number and n, both unsigned. Math.multiplyHigh treats its operands as signed; adding n back when the random
     * number's top bit is set makes the product unsigned (n itself is positive).
     */
    static long randomBelow(long seed, long stream, long counter, long n) {
        long r = randomU64(seed, stream, counter);
        return Math.multiplyHigh(r, n) + ((r >> 63) & n);
    }
}
"#;

/// `KeyGenerator.java` and the files it needs (`StateLabRandom.java`, the Zipf sampler, the replayed keys).
pub(super) fn files(config: &JobConfig, replay: Option<&[JavaKey]>) -> Vec<ProjectFile> {
    let key_type = config.source.key_format.key_type;
    let k = key_type.java_name();
    let mut files = Vec::new();
    let text = match replay {
        Some(keys) => {
            files.push(ProjectFile::new(
                format!("src/main/resources/{REPLAY_RESOURCE}"),
                replay_resource(keys),
            ));
            replaying(key_type, keys.len())
        }
        None => {
            let distribution = &config.source.distribution;
            if !matches!(distribution, KeyDistribution::Sequential) {
                files.push(ProjectFile::new(
                    format!("{JAVA_DIR}StateLabRandom.java"),
                    STATE_LAB_RANDOM_JAVA.to_owned(),
                ));
            }
            if let KeyDistribution::Zipf { .. } = distribution {
                files.push(ProjectFile::new(
                    format!("{JAVA_DIR}ZipfSampler.java"),
                    super::zipf_sampler::ZIPF_SAMPLER_JAVA.to_owned(),
                ));
                files.push(ProjectFile::new(
                    format!("{JAVA_DIR}Libm.java"),
                    super::zipf_sampler::LIBM_JAVA.to_owned(),
                ));
            }
            generating(config, k)
        }
    };
    files.insert(
        0,
        ProjectFile::new(format!("{JAVA_DIR}KeyGenerator.java"), text),
    );
    files
}

/// One key per line, `Integer` and `Long` keys as Java's `parseInt`/`parseLong` read them.
fn replay_resource(keys: &[JavaKey]) -> String {
    let mut text = String::new();
    for key in keys {
        match key {
            JavaKey::String(s) => text.push_str(s),
            JavaKey::Integer(v) => text.push_str(&v.to_string()),
            JavaKey::Long(v) => text.push_str(&v.to_string()),
        }
        text.push('\n');
    }
    text
}

fn replaying(key_type: JavaKeyType, count: usize) -> String {
    let k = key_type.java_name();
    let parse = match key_type {
        JavaKeyType::String => "line",
        JavaKeyType::Integer => "Integer.valueOf(line)",
        JavaKeyType::Long => "Long.valueOf(line)",
    };
    format!(
        r#"package statelab.job;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Which key event i carries: the i-th key StateLab replays (source.replay), read from {REPLAY_RESOURCE} in this
 * program's resources. The source is bounded: it emits each of the {count} keys once, in order.
 */
public class KeyGenerator implements GeneratorFunction<Long, {k}> {{
    private static final long serialVersionUID = 1L;

    /** How many keys {REPLAY_RESOURCE} holds. */
    static final int REPLAYED_KEYS = {count};

    private transient List<{k}> keys;

    /** Called once per source subtask before it generates anything. */
    @Override
    public void open(SourceReaderContext readerContext) throws IOException {{
        keys = readKeys();
    }}

    @Override
    public {k} map(Long eventIndex) {{
        return keys.get(Math.toIntExact(eventIndex));
    }}

    /** {REPLAY_RESOURCE}: one key per line, UTF-8. */
    static List<{k}> readKeys() throws IOException {{
        InputStream in = KeyGenerator.class.getResourceAsStream("/{REPLAY_RESOURCE}");
        if (in == null) {{
            throw new FileNotFoundException("{REPLAY_RESOURCE} is not on the classpath");
        }}
        List<{k}> keys = new ArrayList<>(REPLAYED_KEYS);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {{
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {{
                keys.add({parse});
            }}
        }}
        if (keys.size() != REPLAYED_KEYS) {{
            throw new IOException("{REPLAY_RESOURCE} holds " + keys.size() + " keys, not " + REPLAYED_KEYS);
        }}
        return keys;
    }}
}}
"#
    )
}

fn generating(config: &JobConfig, k: &str) -> String {
    let source = &config.source;
    let (fields, body, about) = match &source.distribution {
        KeyDistribution::Uniform => (
            String::new(),
            "        return StateLabRandom.randomBelow(SEED, StateLabRandom.KEY, i, KEY_COUNT);\n".to_owned(),
            "uniform: every key equally likely".to_owned(),
        ),
        KeyDistribution::Zipf { exponent } => (
            format!(
                "    /** Zipf with exponent {e}: key k (0-based) with probability proportional to (k + 1)^-{e}. */\n    \
                 static final ZipfSampler ZIPF = new ZipfSampler(KEY_COUNT, {e});\n\n",
                e = java_literal::double(*exponent)
            ),
            "        return ZIPF.sample(SEED, i) - 1;\n".to_owned(),
            "Zipf: key 0 is the most frequent, then key 1, ...".to_owned(),
        ),
        KeyDistribution::HotKey { key, fraction } => (
            format!(
                "    /** The hot key's number. */\n    static final long HOT_KEY = {};\n    \
                 /** The share of the events the hot key takes; the others are uniform over all keys. */\n    \
                 static final double HOT_FRACTION = {};\n\n",
                java_literal::long(*key),
                java_literal::double(*fraction)
            ),
            "        if (StateLabRandom.randomUnit(SEED, StateLabRandom.HOT_KEY_COIN, i) < HOT_FRACTION) {\n            \
             return HOT_KEY;\n        }\n        \
             return StateLabRandom.randomBelow(SEED, StateLabRandom.KEY, i, KEY_COUNT);\n"
                .to_owned(),
            "one hot key takes a share of the events, the rest are uniform".to_owned(),
        ),
        KeyDistribution::Sequential => (
            String::new(),
            "        return i % KEY_COUNT;\n".to_owned(),
            "sequential: 0, 1, 2, ..., wrapping around".to_owned(),
        ),
    };
    let seed = if matches!(source.distribution, KeyDistribution::Sequential) {
        String::new()
    } else {
        format!(
            "    /** The seed of every random choice (seed). */\n    static final long SEED = {};\n",
            java_literal::long(config.seed)
        )
    };
    let (format_fields, spelling, pattern) = key_spelling(&source.key_format);
    format!(
        r#"package statelab.job;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Which key event i carries: StateLab's source (src/engine/source/), ported so that this program emits exactly
 * the keys StateLab's source emits. Event i's key is a pure function of the seed and i: it does not depend on
 * the source parallelism, on which source subtask generates it, or on how often a restore makes the source
 * generate it again.
 */
public class KeyGenerator implements GeneratorFunction<Long, {k}> {{
    private static final long serialVersionUID = 1L;

{seed}    /** How many distinct keys the source draws from (source.keyCount). */
    static final long KEY_COUNT = {key_count};
{format_fields}
{fields}    @Override
    public {k} map(Long eventIndex) {{
        return key(keyIndex(eventIndex));
    }}

    /** The key number (0-based) of event i: {about}. */
    static long keyIndex(long i) {{
{body}    }}

    /** Key number index spelled as the job's key ({pattern}). */
    static {k} key(long index) {{
{spelling}    }}
}}
"#,
        key_count = java_literal::long(source.key_count),
    )
}

/// The fields, the body of `key(long index)` and a description of the key format.
fn key_spelling(format: &KeyFormat) -> (String, String, String) {
    match format.key_type {
        JavaKeyType::String if format.zero_pad == 0 => (
            format!(
                "    /** The text before the number. */\n    static final String PREFIX = {};\n",
                java_literal::string(&format.prefix)
            ),
            "        return PREFIX + index;\n".to_owned(),
            "PREFIX followed by the number".to_owned(),
        ),
        JavaKeyType::String => (
            format!(
                "    /** The text before the number. */\n    static final String PREFIX = {};\n    \
                 /** The number is zero-padded to this many digits. */\n    static final int ZERO_PAD = {};\n",
                java_literal::string(&format.prefix),
                format.zero_pad
            ),
            "        String digits = Long.toString(index);\n        \
             return PREFIX + \"0\".repeat(Math.max(0, ZERO_PAD - digits.length())) + digits;\n"
                .to_owned(),
            format!("PREFIX followed by the number zero-padded to {} digits", format.zero_pad),
        ),
        JavaKeyType::Integer => (
            String::new(),
            "        return (int) index;\n".to_owned(),
            "the number itself, an Integer".to_owned(),
        ),
        JavaKeyType::Long => (
            String::new(),
            "        return index;\n".to_owned(),
            "the number itself, a Long".to_owned(),
        ),
    }
}
