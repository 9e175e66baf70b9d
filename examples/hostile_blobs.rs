//! Writes the hostile checkpoint blobs of `tests/data/blobs/hostile/`: one per way a blob from outside once
//! broke StateLab (issue "Shared checkpoints you can trust"), each with a correct length and CRC-32, crafted by
//! hand the way an attacker would. `tests/hostile_blobs.rs` opens every one and checks the refusal and the
//! memory it took; the fuzzer starts from them too.
//!
//!     cargo run --release --example hostile_blobs -- tests/data/blobs/hostile
//!
//! With `--worst DIR` it writes instead the sound blobs that cost the most to open for their size (the
//! budget's worst cases, measured in BENCHMARKS.md): `worst-link.slcp`, the most state and metadata a share
//! link can carry (at most 48 KiB), `worst-64kib.slcp` and `worst-1mb.slcp`, the most state in 64 KiB and in a
//! megabyte.
//!
//! The blobs are built from a small real run (seeded, so the same every time) and then edited.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
// A default configuration with the fields that matter set one by one reads best.
#[allow(clippy::field_reassign_with_default)]
mod native {
    use serde_json::{json, Value};
    use statelab::engine::checkpoint::checkpoint_blob::{
        encode, encode_uncompressed, encode_version_1, BlobReader, KeyRef, StateValue,
    };
    use statelab::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
    use statelab::engine::checkpoint::metadata_v2;
    use statelab::engine::cluster::engine_event::Milestones;
    use statelab::engine::cluster::job_config::JobConfig;
    use statelab::engine::cluster::mini_cluster::MiniCluster;
    use statelab::engine::cluster::run_limit::RunLimit;
    use statelab::engine::functions::job_function::JobFunction;
    use statelab::engine::keys::key_group::KeyGroup;
    use statelab::engine::keys::key_registry::KeyFormat;
    use statelab::engine::state::heap::state_objects::StateValueObject;
    use std::path::Path;

    const HEADER: usize = 28;

    /// The base job: 300 keys `user-%06d` and the typed key `alice`, parallelism 2, 16 key groups, a checkpoint
    /// after 1,000 records.
    fn base_cluster(rate: u64, interval_ms: Option<u64>) -> (MiniCluster, u64) {
        let mut c = JobConfig::default();
        c.seed = 7;
        c.parallelism = 2;
        c.max_parallelism = Some(16);
        c.source.key_count = 300;
        c.source.max_events = Some(2000);
        c.source.rate = 1_000;
        c.source.key_format = KeyFormat {
            prefix: "user-".into(),
            zero_pad: 6,
            ..KeyFormat::default()
        };
        c.checkpointing.interval_ms = None;
        c.checkpointing.write_bytes_per_second = 50_000_000;
        let mut cluster = MiniCluster::new(c).unwrap();
        let mut events = Milestones::default();
        cluster.inject_key("alice").unwrap();
        cluster.run(RunLimit::records(1000), &mut events);
        let id = cluster.trigger_checkpoint().unwrap();
        while cluster.coordinator().store().get(id).is_none() {
            assert!(cluster.step(&mut events));
        }
        // The job as the blob records it: a rate and an interval set after the fact are what a hand-edited
        // configuration would hold.
        let mut config = cluster.config().clone();
        config.source.rate = rate;
        config.checkpointing.interval_ms = interval_ms;
        let checkpoint = cluster.coordinator().store().get(id).unwrap().clone();
        let blob = encode(&checkpoint, cluster.keys(), &config).unwrap();
        let restored = MiniCluster::from_blob(&blob, None, &mut events).unwrap();
        (restored, id)
    }

    fn base() -> (CompletedCheckpoint, MiniCluster) {
        let (cluster, id) = base_cluster(1_000, None);
        let checkpoint = (**cluster.coordinator().store().get(id).unwrap()).clone();
        (checkpoint, cluster)
    }

    /// The checkpoint as a version-1 blob (JSON metadata), the version the first hostile blobs were written in.
    fn blob_of(checkpoint: &CompletedCheckpoint, cluster: &MiniCluster, compress: bool) -> Vec<u8> {
        encode_version_1(checkpoint, cluster.keys(), cluster.config(), compress).unwrap()
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    /// Fixes the total length and the CRC-32 after an edit, as an attacker would.
    fn reseal(blob: &mut [u8]) {
        let len = blob.len() as u64;
        blob[20..28].copy_from_slice(&len.to_le_bytes());
        let n = blob.len() - 4;
        let crc = statelab::engine::checkpoint::checkpoint_blob::crc32(&blob[..n]);
        blob[n..].copy_from_slice(&crc.to_le_bytes());
    }

    /// Replaces the metadata of a deflated-metadata blob with `raw` (deflated), keeping table and payload.
    fn with_metadata_bytes(blob: &[u8], raw: &[u8]) -> Vec<u8> {
        let len = u32_at(blob, 12) as usize;
        let deflated = miniz_oxide::deflate::compress_to_vec(raw, 9);
        let mut out = blob[..HEADER].to_vec();
        out[12..16].copy_from_slice(&(deflated.len() as u32).to_le_bytes());
        out.extend_from_slice(&deflated);
        out.extend_from_slice(&blob[HEADER + len..]);
        reseal(&mut out);
        out
    }

    /// The metadata of a deflated-metadata blob, inflated.
    fn raw_metadata(blob: &[u8]) -> Vec<u8> {
        let len = u32_at(blob, 12) as usize;
        miniz_oxide::inflate::decompress_to_vec(&blob[HEADER..HEADER + len]).unwrap()
    }

    fn metadata_of(blob: &[u8]) -> Value {
        serde_json::from_slice(&raw_metadata(blob)).unwrap()
    }

    /// `raw` with the first `pattern` replaced by `with`.
    fn splice(raw: &[u8], pattern: &[u8], with: &[u8]) -> Vec<u8> {
        let at = raw
            .windows(pattern.len())
            .position(|w| w == pattern)
            .expect("the pattern is in the metadata");
        [&raw[..at], with, &raw[at + pattern.len()..]].concat()
    }

    fn varint(mut v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
        out
    }

    fn with_metadata(blob: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut m = metadata_of(blob);
        edit(&mut m);
        with_metadata_bytes(blob, &serde_json::to_vec(&m).unwrap())
    }

    /// Puts `list_json` (a JSON array's text) where the metadata has the placeholder list `["\u{1}"]`: lists too
    /// long to build as JSON values cheaply.
    fn with_big_list(blob: &[u8], edit: impl FnOnce(&mut Value), list_json: &str) -> Vec<u8> {
        let mut m = metadata_of(blob);
        edit(&mut m);
        let text = serde_json::to_string(&m).unwrap();
        let placeholder = "[\"\\u0001\"]";
        assert!(text.contains(placeholder), "{text}");
        with_metadata_bytes(blob, text.replacen(placeholder, list_json, 1).as_bytes())
    }

    /// Replaces key group `kg`'s section with `stored` bytes claiming `raw_len` raw bytes and `entries` entries,
    /// and the metadata's entry count with what the table then adds up to.
    fn with_section(blob: &[u8], kg: usize, stored: &[u8], raw_len: u32, entries: u32) -> Vec<u8> {
        let metadata_len = u32_at(blob, 12) as usize;
        let sections = u32_at(blob, 16) as usize;
        let table = HEADER + metadata_len;
        let payload = table + sections * 20;
        let mut infos: Vec<[u32; 4]> = (0..sections)
            .map(|k| {
                let at = table + k * 20;
                [
                    u32_at(blob, at),
                    u32_at(blob, at + 4),
                    u32_at(blob, at + 8),
                    u32_at(blob, at + 12),
                ]
            })
            .collect();
        let mut encodings: Vec<u8> = (0..sections).map(|k| blob[table + k * 20 + 16]).collect();
        let mut bodies: Vec<Vec<u8>> = infos
            .iter()
            .map(|i| blob[payload + i[0] as usize..payload + (i[0] + i[1]) as usize].to_vec())
            .collect();
        bodies[kg] = stored.to_vec();
        infos[kg][2] = raw_len;
        infos[kg][3] = entries;
        encodings[kg] = 1;
        let total_entries: u64 = infos.iter().map(|i| u64::from(i[3])).sum();
        let rebuilt = with_metadata(blob, |m| m["entries"] = json!(total_entries));
        let metadata_len = u32_at(&rebuilt, 12) as usize;
        let mut out = rebuilt[..HEADER + metadata_len].to_vec();
        let mut offset = 0u32;
        for (k, info) in infos.iter().enumerate() {
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&(bodies[k].len() as u32).to_le_bytes());
            out.extend_from_slice(&info[2].to_le_bytes());
            out.extend_from_slice(&info[3].to_le_bytes());
            out.extend_from_slice(&[encodings[k], 0, 0, 0]);
            offset += bodies[k].len() as u32;
        }
        for body in &bodies {
            out.extend_from_slice(body);
        }
        out.extend_from_slice(&[0; 4]);
        reseal(&mut out);
        out
    }

    /// `n` repetitions of `item` as a JSON array's text.
    fn repeated(item: &str, n: usize) -> String {
        let mut s = String::with_capacity(n * (item.len() + 1) + 2);
        s.push('[');
        for i in 0..n {
            if i > 0 {
                s.push(',');
            }
            s.push_str(item);
        }
        s.push(']');
        s
    }

    /// A sound blob of `keys` Long keys counted once, all in one key group (max parallelism 1), its entries
    /// deflated at the highest level, with a replay list of `replayed` keys in its job (parsed on every open).
    fn dense(keys: u64, replayed: usize) -> Vec<u8> {
        let mut c = JobConfig::default();
        c.parallelism = 1;
        c.max_parallelism = Some(1);
        c.source.parallelism = 1;
        c.source.key_count = keys;
        c.source.max_events = None;
        c.source.rate = 1_000_000;
        c.source.distribution =
            statelab::engine::source::key_distribution::KeyDistribution::Sequential;
        c.source.key_format = KeyFormat {
            key_type: statelab::engine::keys::java_key::JavaKeyType::Long,
            ..KeyFormat::default()
        };
        c.checkpointing.interval_ms = None;
        c.checkpointing.write_bytes_per_second = 1 << 40;
        let mut cluster = MiniCluster::new(c).unwrap();
        let mut events = Milestones::default();
        cluster.run(RunLimit::records(keys), &mut events);
        let id = cluster.trigger_checkpoint().unwrap();
        while cluster.coordinator().store().get(id).is_none() {
            assert!(cluster.step(&mut events));
        }
        let checkpoint = cluster.coordinator().store().get(id).unwrap();
        let blob = encode_version_1(checkpoint, cluster.keys(), cluster.config(), true).unwrap();
        let reader = BlobReader::open(&blob).unwrap();
        let info = reader.sections()[0];
        let start = blob.len() - 4 - info.stored_len as usize;
        let raw = if info.encoding == 1 {
            miniz_oxide::inflate::decompress_to_vec(&blob[start..blob.len() - 4]).unwrap()
        } else {
            blob[start..blob.len() - 4].to_vec()
        };
        let entries = info.entries;
        // In key order rather than the snapshot's bucket order: any order opens, and this one packs best.
        let mut sorted = reader.key_group(KeyGroup::new(0)).unwrap().entries;
        sorted.sort_by_key(|&(key, _)| match key {
            KeyRef::Generated(i) => i,
            KeyRef::Named(i) => u64::from(i),
        });
        drop(reader);
        let mut raw = Vec::with_capacity(raw.len());
        for (key, count) in sorted {
            let (KeyRef::Generated(i), StateValue::Long(count)) = (key, count) else {
                unreachable!("a generated key and its count")
            };
            for mut v in [i << 1, (count as u64) << 1] {
                while v >= 0x80 {
                    raw.push((v as u8) | 0x80);
                    v >>= 7;
                }
                raw.push(v as u8);
            }
        }
        let packed = miniz_oxide::deflate::compress_to_vec(&raw, 10);
        let list = repeated("\"111111111111111111\"", replayed);
        let blob = with_big_list(
            &blob,
            |m| m["job"]["source"]["replay"] = json!(["\u{1}"]),
            &list,
        );
        let blob = with_section(&blob, 0, &packed, raw.len() as u32, entries);
        BlobReader::open(&blob).unwrap();
        blob
    }

    /// The most keys whose dense blob fits in `bytes`.
    fn densest(bytes: usize, replayed: usize) -> Vec<u8> {
        let (mut lo, mut hi) = (1_000u64, 4_000_000u64);
        let mut best = dense(lo, replayed);
        while hi - lo > lo / 50 {
            let mid = (lo + hi) / 2;
            let blob = dense(mid, replayed);
            if blob.len() <= bytes {
                (lo, best) = (mid, blob);
            } else {
                hi = mid;
            }
        }
        best
    }

    fn worst(dir: &Path) {
        std::fs::create_dir_all(dir).unwrap();
        for (name, bytes) in [
            ("worst-link", 48 << 10),
            ("worst-64kib", 64 << 10),
            ("worst-1mb", 1 << 20),
        ] {
            let blob = densest(bytes, 100_000);
            let reader = BlobReader::open(&blob).unwrap();
            println!(
                "{name}.slcp: {} bytes, {} entries, {} bytes of state in Flink's format",
                blob.len(),
                reader.metadata().entries,
                reader.metadata().flink_state_size
            );
            std::fs::write(dir.join(format!("{name}.slcp")), &blob).unwrap();
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().collect();
        if args.get(1).is_some_and(|a| a == "--worst") {
            return worst(Path::new(
                args.get(2).map_or("target/worst-blobs", String::as_str),
            ));
        }
        let dir = std::env::args()
            .nth(1)
            .unwrap_or_else(|| "tests/data/blobs/hostile".to_owned());
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.join(format!("{name}.slcp")), bytes).unwrap();
            println!("{name}.slcp: {} bytes", bytes.len());
        };
        let (checkpoint, cluster) = base();
        let blob = blob_of(&checkpoint, &cluster, true);

        // Two different checkpoints of the same length: the CRC-32 import key of the past made them one.
        let mut other = checkpoint.clone();
        let (kg, i) = other
            .key_groups
            .iter()
            .enumerate()
            .find_map(|(kg, g)| {
                g.iter()
                    .position(|&(_, v)| (3..64).contains(&v))
                    .map(|i| (kg, i))
            })
            .expect("a key counted 3 to 63 times");
        other.key_groups[kg][i].1 -= 1;
        write("collision-a", &blob_of(&checkpoint, &cluster, false));
        write("collision-b", &blob_of(&other, &cluster, false));

        // A replay list of 8.4 million keys: 33 MB of JSON in a link-sized blob.
        let placeholder = |m: &mut Value| m["job"]["source"]["replay"] = json!(["\u{1}"]);
        write(
            "replay-list-8m",
            &with_big_list(&blob, placeholder, &repeated("\"a\"", 8_400_000)),
        );
        // Within the metadata cap, past the replay cap: 1 million keys.
        write(
            "replay-list-1m",
            &with_big_list(&blob, placeholder, &repeated("\"a\"", 1_000_000)),
        );
        // 11 million copies of one named key, and, within the metadata cap, 150,000 of them.
        let named = |m: &mut Value| m["namedKeys"] = json!(["\u{1}"]);
        write(
            "named-keys-11m-duplicates",
            &with_big_list(&blob, named, &repeated("\"alice\"", 11_000_000)),
        );
        write(
            "named-keys-duplicates",
            &with_big_list(&blob, named, &repeated("\"alice\"", 150_000)),
        );
        // A million short named keys: more than the named-key cap.
        write(
            "named-keys-1m",
            &with_big_list(&blob, named, &repeated("\"\"", 1_000_000)),
        );
        // A 30 MB key in a link-sized blob, and a 2 MB one within the metadata cap.
        for (name, len) in [("key-30mb", 30 << 20), ("key-2mb", 2 << 20)] {
            let key = format!("\"{}\"", "k".repeat(len));
            write(
                name,
                &with_big_list(&blob, named, &format!("[\"alice\",{key}]")),
            );
        }
        // A section that claims 100 million entries in 200 MB, and one that claims 3.9 million in 60 MiB and is
        // a deflate stream of 60 MiB of zeros (a decompression bomb under the caps).
        let zeros = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 60 << 20], 10);
        write(
            "section-claims-100m-entries",
            &with_section(&blob, 3, &zeros, 200 << 20, 100_000_000),
        );
        write(
            "deflate-bomb-60mib",
            &with_section(&blob, 3, &zeros, 60 << 20, 3_900_000),
        );
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 256 << 20], 10);
        write(
            "deflate-bomb-256mib",
            &with_section(&blob, 3, &bomb, 256 << 20, 1000),
        );

        // Impossible counts and ids, and statistics that say what they like.
        let set_count = |name: &str, value: i64| {
            let mut c = checkpoint.clone();
            let g = c.key_groups.iter_mut().find(|g| !g.is_empty()).unwrap();
            g[0].1 = value;
            write(name, &blob_of(&c, &cluster, true));
        };
        set_count("count-i64-max", i64::MAX);
        set_count("count-negative", -5);
        set_count("count-zero", 0);
        set_count("counts-beyond-events", 1_000_000_000_000);
        for (name, id) in [
            ("checkpoint-id-u64-max", u64::MAX),
            ("checkpoint-id-u64-max-minus-1", u64::MAX - 1),
            ("checkpoint-id-beyond-java-long", 1 << 63),
        ] {
            write(
                name,
                &with_metadata(&blob, |m| m["checkpointId"] = json!(id)),
            );
        }
        write(
            "state-size-u64-max",
            &with_metadata(&blob, |m| m["flinkStateSize"] = json!(u64::MAX)),
        );
        write(
            "subtask-entries-wrong",
            &with_metadata(&blob, |m| m["subtasks"][0]["entries"] = json!(1_000_000)),
        );

        // A sound blob of a job whose source emits nothing by itself, with periodic checkpoints: `statelab run
        // --restore` would run it forever.
        let (rate_zero, id) = base_cluster(0, Some(1000));
        let zero = rate_zero.coordinator().store().get(id).unwrap();
        let blob = encode_version_1(zero, rate_zero.keys(), rate_zero.config(), true).unwrap();
        assert!(BlobReader::open(&blob).is_ok());
        write("source-rate-0", &blob);

        // Format version 2: binary metadata whose counts and lengths claim what they like.
        let blob = encode(&checkpoint, cluster.keys(), cluster.config()).unwrap();
        let raw = raw_metadata(&blob);
        let v2 = |edited: Vec<u8>| with_metadata_bytes(&blob, &edited);
        write("v2-metadata-cut-short", &v2(raw[..raw.len() / 2].to_vec()));
        write("v2-metadata-bytes-left", &v2([&raw[..], &[0; 64]].concat()));
        // A field of a newer StateLab (15) before the end.
        write(
            "v2-unknown-field",
            &v2([&raw[..raw.len() - 1], &[15, 1, 0]].concat()),
        );
        // The named keys (field 11: one, "alice") claim a million, then 199,999 in a few bytes, and a key of
        // 2^40 bytes.
        let named = [&[11, 1, 5][..], b"alice"].concat();
        let claim = |count: u64, rest: &[u8]| {
            v2(splice(
                &raw,
                &named,
                &[&[11][..], &varint(count), rest].concat(),
            ))
        };
        write("v2-named-keys-claim-1m", &claim(1_000_000, &named[2..]));
        write(
            "v2-named-keys-claim-beyond-bytes",
            &claim(199_999, &named[2..]),
        );
        write(
            "v2-key-length-beyond-end",
            &claim(1, &[&varint(1 << 40)[..], b"alice"].concat()),
        );
        // A 2 MB named key that is there (within the metadata cap).
        write(
            "v2-key-2mb",
            &claim(1, &[&varint(2 << 20)[..], &vec![b'k'; 2 << 20]].concat()),
        );
        // A replay list (field 6 of the source) and a script (field 13 of the job) claiming more than any job has.
        let mut replaying = cluster.config().clone();
        replaying.source.replay = Some(vec!["q".into()]);
        let with_replay = raw_metadata(&encode(&checkpoint, cluster.keys(), &replaying).unwrap());
        write(
            "v2-replay-claims-1m",
            &v2(splice(
                &with_replay,
                &[6, 1, 1, b'q'],
                &[&[6][..], &varint(1_000_000), &[1, b'q']].concat(),
            )),
        );
        write(
            "v2-script-claims-4g",
            &v2(splice(
                &raw,
                &[13, 0],
                &[&[13][..], &varint(1 << 32)].concat(),
            )),
        );
        version_3(&write);
    }

    /// A sound, uncompressed version-3 blob of `function`: 30 keys and the typed key `alice`, parallelism 2,
    /// 8 key groups, a checkpoint after 400 records at 200 records per second (sessions open and closed).
    fn v3_blob(function: JobFunction) -> Vec<u8> {
        let mut c = JobConfig::default();
        c.seed = 11;
        c.function = function;
        c.parallelism = 2;
        c.max_parallelism = Some(8);
        c.source.key_count = 30;
        c.source.max_events = Some(800);
        c.source.rate = 200;
        c.checkpointing.interval_ms = None;
        let mut cluster = MiniCluster::new(c).unwrap();
        let mut events = Milestones::default();
        cluster.inject_key("alice").unwrap();
        cluster.run(RunLimit::records(400), &mut events);
        let id = cluster.trigger_checkpoint().unwrap();
        while cluster.coordinator().store().get(id).is_none() {
            assert!(cluster.step(&mut events));
        }
        let checkpoint = cluster.coordinator().store().get(id).unwrap();
        let blob = encode_uncompressed(checkpoint, cluster.keys(), cluster.config()).unwrap();
        assert_eq!(BlobReader::open(&blob).unwrap().version(), 3);
        blob
    }

    fn code(key: KeyRef) -> u64 {
        match key {
            KeyRef::Generated(i) => i << 1,
            KeyRef::Named(n) => (u64::from(n) << 1) | 1,
        }
    }

    fn zigzag(v: i64) -> Vec<u8> {
        varint(((v << 1) ^ (v >> 63)) as u64)
    }

    /// An object as version 3 writes it.
    fn object_bytes(o: &StateValueObject) -> Vec<u8> {
        match o {
            StateValueObject::List { elements, .. } => {
                let mut out = varint(elements.len() as u64);
                elements.iter().for_each(|&v| out.extend(zigzag(v)));
                out
            }
            StateValueObject::Map { entries, .. } => {
                let mut out = varint(entries.len() as u64);
                for e in entries {
                    out.extend(varint(e.key.len() as u64));
                    out.extend_from_slice(e.key.as_bytes());
                    out.extend(zigzag(e.value));
                }
                out
            }
            StateValueObject::Tuple2 { f0, f1 } => [zigzag(*f0), zigzag(*f1)].concat(),
            StateValueObject::KeyStats { count, sum } => [zigzag(*count), zigzag(*sum)].concat(),
            StateValueObject::TtlValue {
                user_value,
                last_access_timestamp,
            } => {
                let value = user_value.map_or(vec![0], |v| [vec![1], zigzag(v)].concat());
                [value, zigzag(*last_access_timestamp)].concat()
            }
            StateValueObject::TtlList { elements, .. } => {
                let mut out = varint(elements.len() as u64);
                for e in elements {
                    out.extend(zigzag(e.user_value));
                    out.extend(zigzag(e.last_access_timestamp));
                }
                out
            }
            StateValueObject::TtlMap { entries, .. } => {
                let mut out = varint(entries.len() as u64);
                for e in entries {
                    out.extend(varint(e.key.len() as u64));
                    out.extend_from_slice(e.key.as_bytes());
                    out.extend(zigzag(e.value.user_value));
                    out.extend(zigzag(e.value.last_access_timestamp));
                }
                out
            }
        }
    }

    /// A version-3 key group as its entries (key code, value bytes) and timers (key code, timestamp).
    type Section = (Vec<(u64, Vec<u8>)>, Vec<(u64, i64)>);

    /// The first key group of an uncompressed version-3 blob with entries, and the key group's number.
    fn v3_section(blob: &[u8], with_timers: bool) -> (usize, Section) {
        let reader = BlobReader::open(blob).unwrap();
        (0..reader.sections().len())
            .find_map(|kg| {
                let state = reader.key_group(KeyGroup::try_from(kg).unwrap()).unwrap();
                let timers_ok = !with_timers || state.timers.len() > 1;
                (!state.entries.is_empty() && timers_ok).then(|| {
                    let entries = state
                        .entries
                        .iter()
                        .map(|(k, v)| {
                            let bytes = match v {
                                StateValue::Long(v) => zigzag(*v),
                                StateValue::Object(o) => object_bytes(o),
                            };
                            (code(*k), bytes)
                        })
                        .collect();
                    let timers = state.timers.iter().map(|&(k, t)| (code(k), t)).collect();
                    (kg, (entries, timers))
                })
            })
            .expect("a key group with entries")
    }

    /// Replaces key group `kg` of an uncompressed version-3 blob with `raw` holding `entries` entries (the
    /// metadata's entry count follows), resealed.
    fn with_v3_section(blob: &[u8], kg: usize, raw: &[u8], entries: u32) -> Vec<u8> {
        let metadata_len = u32_at(blob, 12) as usize;
        let sections = u32_at(blob, 16) as usize;
        let table = HEADER + metadata_len;
        let payload = table + sections * 20;
        let mut bodies: Vec<Vec<u8>> = (0..sections)
            .map(|k| {
                let at = table + k * 20;
                let (offset, len) = (u32_at(blob, at) as usize, u32_at(blob, at + 4) as usize);
                blob[payload + offset..payload + offset + len].to_vec()
            })
            .collect();
        let mut counts: Vec<u32> = (0..sections)
            .map(|k| u32_at(blob, table + k * 20 + 12))
            .collect();
        bodies[kg] = raw.to_vec();
        counts[kg] = entries;
        let mut m = metadata_v2::read(&blob[HEADER..table]).unwrap();
        m.entries = counts.iter().map(|&c| u64::from(c)).sum();
        let metadata = metadata_v2::write(&m);
        let mut out = blob[..HEADER].to_vec();
        out[12..16].copy_from_slice(&(metadata.len() as u32).to_le_bytes());
        out.extend_from_slice(&metadata);
        let mut offset = 0u32;
        for (body, count) in bodies.iter().zip(&counts) {
            let len = body.len() as u32;
            for field in [offset, len, len, *count] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            out.extend_from_slice(&[0; 4]);
            offset += len;
        }
        bodies.iter().for_each(|b| out.extend_from_slice(b));
        out.extend_from_slice(&[0; 4]);
        reseal(&mut out);
        out
    }

    /// A section's bytes: its entries, then (`Some`) the timer count and the timers.
    fn section_bytes(entries: &[(u64, Vec<u8>)], timers: Option<&[(u64, i64)]>) -> Vec<u8> {
        let mut out = Vec::new();
        for (code, value) in entries {
            out.extend(varint(*code));
            out.extend_from_slice(value);
        }
        if let Some(timers) = timers {
            out.extend(varint(timers.len() as u64));
            for &(code, t) in timers {
                out.extend(varint(code));
                out.extend(zigzag(t));
            }
        }
        out
    }

    /// Format version 3: sections whose lists, maps and timers claim what they like, and blobs whose version or
    /// state does not match their job's function.
    fn version_3(write: &dyn Fn(&str, &[u8])) {
        let log = v3_blob(JobFunction::EventLog);
        let (kg, (entries, timers)) = v3_section(&log, false);
        let n = entries.len() as u32;
        let sound = section_bytes(&entries, Some(&timers));
        assert_eq!(
            BlobReader::open(&with_v3_section(&log, kg, &sound, n))
                .unwrap()
                .version(),
            3
        );
        // The section ends within the last list.
        write(
            "v3-list-cut-short",
            &with_v3_section(&log, kg, &sound[..sound.len() - 3], n),
        );
        // A list claiming 2^32 elements, and one claiming a million (under the cap) in a few bytes.
        for (name, count) in [
            ("v3-list-claims-4g", 1u64 << 32),
            ("v3-list-claims-1m", 1_000_000),
        ] {
            let mut edited = entries.clone();
            edited[0].1 = [varint(count), vec![2, 4, 6]].concat();
            let raw = section_bytes(&edited, Some(&timers));
            write(name, &with_v3_section(&log, kg, &raw, n));
        }
        // A key twice in one key group.
        let mut twice = entries.clone();
        twice.push(entries[0].clone());
        let raw = section_bytes(&twice, Some(&timers));
        write("v3-key-repeated", &with_v3_section(&log, kg, &raw, n + 1));
        // A timer in the state of a function that registers none.
        let raw = section_bytes(&entries, Some(&[(entries[0].0, 5_000)]));
        write("v3-timer-of-event-log", &with_v3_section(&log, kg, &raw, n));
        // The event log's state claimed to be a map state; the event log's blob labelled version 2.
        let metadata_len = u32_at(&log, 12) as usize;
        let mut m = metadata_v2::read(&log[HEADER..HEADER + metadata_len]).unwrap();
        m.state.kind = "MapState".into();
        let mut shape = log[..HEADER].to_vec();
        let metadata = metadata_v2::write(&m);
        shape[12..16].copy_from_slice(&(metadata.len() as u32).to_le_bytes());
        shape.extend_from_slice(&metadata);
        shape.extend_from_slice(&log[HEADER + metadata_len..]);
        reseal(&mut shape);
        write("v3-wrong-state-shape", &shape);
        let mut labelled = log.clone();
        labelled[8..10].copy_from_slice(&2u16.to_le_bytes());
        reseal(&mut labelled);
        write("v3-event-log-labelled-v2", &labelled);

        let maps = v3_blob(JobFunction::CategoryCounts);
        let (kg, (entries, timers)) = v3_section(&maps, false);
        let n = entries.len() as u32;
        let map_of = |mappings: &[(&[u8], i64)]| {
            let mut out = varint(mappings.len() as u64);
            for (key, value) in mappings {
                out.extend(varint(key.len() as u64));
                out.extend_from_slice(key);
                out.extend(zigzag(*value));
            }
            out
        };
        let edit = |name: &str, value: Vec<u8>| {
            let mut edited = entries.clone();
            edited[0].1 = value;
            let raw = section_bytes(&edited, Some(&timers));
            write(name, &with_v3_section(&maps, kg, &raw, n));
        };
        edit("v3-map-key-not-utf8", map_of(&[(b"vi\xffw", 1)]));
        edit("v3-map-key-repeated", map_of(&[(b"view", 1), (b"view", 2)]));
        edit(
            "v3-map-claims-1m",
            [varint(1_000_000), map_of(&[(b"view", 1)])[1..].to_vec()].concat(),
        );
        edit(
            "v3-map-key-claims-2gb",
            [vec![1], varint(1 << 31), b"view".to_vec(), vec![2]].concat(),
        );

        let sessions = v3_blob(JobFunction::Session);
        let (kg, (entries, timers)) = v3_section(&sessions, true);
        let n = entries.len() as u32;
        let mut repeated = timers.clone();
        repeated.push(timers[0]);
        let raw = section_bytes(&entries, Some(&repeated));
        write(
            "v3-timer-repeated",
            &with_v3_section(&sessions, kg, &raw, n),
        );
        let raw = [section_bytes(&entries, None), varint(1 << 32)].concat();
        write(
            "v3-timers-claim-4g",
            &with_v3_section(&sessions, kg, &raw, n),
        );
        // Every timer of the key group but the latest of each key: sessions no timer closes.
        let mut latest = std::collections::BTreeMap::new();
        for &(code, t) in &timers {
            let l = latest.entry(code).or_insert(t);
            *l = (*l).max(t);
        }
        let early: Vec<(u64, i64)> = timers
            .iter()
            .copied()
            .filter(|&(code, t)| latest[&code] != t)
            .collect();
        let raw = section_bytes(&entries, Some(&early));
        write(
            "v3-session-without-timer",
            &with_v3_section(&sessions, kg, &raw, n),
        );
    }
}
