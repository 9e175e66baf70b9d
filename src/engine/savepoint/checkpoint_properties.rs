//! `org.apache.flink.runtime.checkpoint.CheckpointProperties` at the end of `_metadata` (since version 4,
//! `MetadataV4Serializer.serializeProperties`): a Java-serialised object (`ObjectOutputStream`, `AC ED 00 05`)
//! whose `checkpointType` says what the snapshot is — a `SavepointType` with its `SavepointFormatType`
//! (`CANONICAL` or `NATIVE`), or a `CheckpointType` (`Full Checkpoint`, `Incremental Checkpoint`). StateLab
//! parses only that: it collects the class names and strings of the stream's `TC_CLASSDESC` and `TC_STRING`
//! tokens (a length-prefixed text after the token byte) from at most [`MAX_PROPERTIES_BYTES`] bytes, and looks for
//! those classes and constants among them; nothing is instantiated.

/// The most bytes of properties looked at.
pub const MAX_PROPERTIES_BYTES: usize = 64 * 1024;

const STREAM_MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const TC_CLASSDESC: u8 = 0x72;
const TC_STRING: u8 = 0x74;
const SAVEPOINT_TYPE: &str = "org.apache.flink.runtime.checkpoint.SavepointType";
const CHECKPOINT_TYPE: &str = "org.apache.flink.runtime.checkpoint.CheckpointType";

/// The properties `flink stop --savepointPath DIR` gives its savepoint, as `MetadataV4Serializer.serializeProperties`
/// writes them: `CheckpointProperties.forSyncSavepoint(true, false, CANONICAL)` — forced, nothing discarded, a
/// `SavepointType` named `Suspend Savepoint` with `PostCheckpointAction.SUSPEND` and format `CANONICAL` —
/// through `ObjectOutputStream.writeObject`: the bytes Flink 2.3 writes (`tools/flink-savepoint-restore` checks
/// each written `_metadata` ends with Flink's own serialisation of that object, and that Flink reads it back).
pub const SUSPEND_CANONICAL_SAVEPOINT: &[u8] = b"\
\xac\xed\x00\x05sr\x008org.apache.flink.runtime.checkpoint.CheckpointProperties\x00\x00\x00\x00\x00\
\x00\x00\x02\x02\x00\x08Z\x00\x10discardCancelledZ\x00\x0ddiscardFailedZ\x00\x0fdiscardFinishedZ\x00\
\x0fdiscardSubsumedZ\x00\x10discardSuspendedZ\x00\x06forcedZ\x00\x09unclaimedL\x00\x0echeckpointType\
t\x002Lorg/apache/flink/runtime/checkpoint/SnapshotType;xp\x00\x00\x00\x00\x00\x01\x00sr\x001org.apa\
che.flink.runtime.checkpoint.SavepointType\xa0\x87\xd3\x08\xa4X\x14\xb8\x02\x00\x03L\x00\x0aformatTy\
pet\x005Lorg/apache/flink/core/execution/SavepointFormatType;L\x00\x04namet\x00\x12Ljava/lang/String\
;L\x00\x14postCheckpointActiont\x00HLorg/apache/flink/runtime/checkpoint/SavepointType$PostCheckpoin\
tAction;xp~r\x003org.apache.flink.core.execution.SavepointFormatType\x00\x00\x00\x00\x00\x00\x00\x00\
\x12\x00\x00xr\x00\x0ejava.lang.Enum\x00\x00\x00\x00\x00\x00\x00\x00\x12\x00\x00xpt\x00\x09CANONICAL\
t\x00\x11Suspend Savepoint~r\x00Forg.apache.flink.runtime.checkpoint.SavepointType$PostCheckpointAct\
ion\x00\x00\x00\x00\x00\x00\x00\x00\x12\x00\x00xq\x00~\x00\x09t\x00\x07SUSPEND";

/// `SavepointFormatType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SavepointFormatType {
    Canonical,
    Native,
}

/// What kind of snapshot the properties describe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotType {
    Savepoint {
        format: SavepointFormatType,
    },
    /// A checkpoint: its type's name (`Full Checkpoint`, `Incremental Checkpoint`, `Checkpoint`).
    Checkpoint {
        name: String,
    },
    /// No properties (metadata version 3), or none StateLab recognises.
    Unknown,
}

impl SnapshotType {
    /// `canonical savepoint`, `native savepoint`, `checkpoint`, `unknown` — the dump's and the summary's word.
    pub fn label(&self) -> &'static str {
        match self {
            SnapshotType::Savepoint {
                format: SavepointFormatType::Canonical,
            } => "canonical savepoint",
            SnapshotType::Savepoint {
                format: SavepointFormatType::Native,
            } => "native savepoint",
            SnapshotType::Checkpoint { .. } => "checkpoint",
            SnapshotType::Unknown => "unknown",
        }
    }
}

/// The snapshot type the properties' bytes name.
pub fn snapshot_type(bytes: &[u8]) -> SnapshotType {
    let bytes = &bytes[..bytes.len().min(MAX_PROPERTIES_BYTES)];
    if !bytes.starts_with(&STREAM_MAGIC) {
        return SnapshotType::Unknown;
    }
    let (classes, strings) = tokens(bytes);
    if classes.iter().any(|c| c == SAVEPOINT_TYPE) {
        if strings.iter().any(|s| s == "NATIVE") {
            return SnapshotType::Savepoint {
                format: SavepointFormatType::Native,
            };
        }
        if strings.iter().any(|s| s == "CANONICAL") {
            return SnapshotType::Savepoint {
                format: SavepointFormatType::Canonical,
            };
        }
    } else if classes.iter().any(|c| c == CHECKPOINT_TYPE) {
        let name = strings
            .iter()
            .find(|s| s.ends_with("Checkpoint"))
            .cloned()
            .unwrap_or_else(|| "Checkpoint".to_owned());
        return SnapshotType::Checkpoint { name };
    }
    SnapshotType::Unknown
}

/// The texts after `TC_CLASSDESC` and `TC_STRING` bytes: (class names, strings).
fn tokens(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    let (mut classes, mut strings) = (Vec::new(), Vec::new());
    let mut i = STREAM_MAGIC.len();
    while i + 3 <= bytes.len() {
        let tag = bytes[i];
        if tag == TC_CLASSDESC || tag == TC_STRING {
            let len = usize::from(u16::from_be_bytes([bytes[i + 1], bytes[i + 2]]));
            if let Some(text) = bytes
                .get(i + 3..i + 3 + len)
                .filter(|t| !t.is_empty() && t.iter().all(|b| (0x20..0x7f).contains(b)))
                .and_then(|t| std::str::from_utf8(t).ok())
            {
                if tag == TC_CLASSDESC {
                    classes.push(text.to_owned());
                } else {
                    strings.push(text.to_owned());
                }
                i += 3 + len;
                continue;
            }
        }
        i += 1;
    }
    (classes, strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_with_savepoint_properties_name_a_canonical_savepoint() {
        assert_eq!(SUSPEND_CANONICAL_SAVEPOINT.len(), 756);
        assert_eq!(
            snapshot_type(SUSPEND_CANONICAL_SAVEPOINT),
            SnapshotType::Savepoint {
                format: SavepointFormatType::Canonical
            }
        );
    }
}
