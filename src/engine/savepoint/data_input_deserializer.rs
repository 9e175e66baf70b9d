//! `org.apache.flink.core.memory.DataInputDeserializer`: big-endian reads over a byte slice, as
//! `java.io.DataInputStream` reads what `DataOutputStream` wrote — `readUTF`'s modified UTF-8 included. Every
//! read checks the bytes left first; nothing here allocates more than the input holds.

use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};

/// Where a read failed (its offset in the bytes being read) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub offset: u64,
    pub problem: ReadProblem,
}

pub type ReadResult<T> = Result<T, ReadError>;

#[derive(Clone, Debug)]
pub struct DataInputDeserializer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> DataInputDeserializer<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        DataInputDeserializer { bytes, pos: 0 }
    }

    /// The reader at `pos` of `bytes` (at its end when `pos` is beyond it).
    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        DataInputDeserializer {
            bytes,
            pos: pos.min(bytes.len()),
        }
    }

    /// All the bytes being read (not only those left).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn available(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// An error at the current position.
    pub fn error(&self, problem: ReadProblem) -> ReadError {
        ReadError {
            offset: self.pos as u64,
            problem,
        }
    }

    pub fn read_fully(&mut self, n: usize) -> ReadResult<&'a [u8]> {
        if n > self.available() {
            return Err(self.error(ReadProblem::CutShort));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> ReadResult<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.read_fully(N)?);
        Ok(out)
    }

    pub fn read_u8(&mut self) -> ReadResult<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// `readBoolean`: any byte but 0 is `true`, as in Java.
    pub fn read_boolean(&mut self) -> ReadResult<bool> {
        Ok(self.read_u8()? != 0)
    }

    pub fn read_i16(&mut self) -> ReadResult<i16> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    pub fn read_u16(&mut self) -> ReadResult<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub fn read_i32(&mut self) -> ReadResult<i32> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    pub fn read_i64(&mut self) -> ReadResult<i64> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    pub fn read_f32(&mut self) -> ReadResult<f32> {
        Ok(f32::from_be_bytes(self.array()?))
    }

    pub fn read_f64(&mut self) -> ReadResult<f64> {
        Ok(f64::from_be_bytes(self.array()?))
    }

    /// An `int` count of things of at least `min_bytes` bytes each: refused when negative or when that many
    /// could not fit in the bytes left (so a count never sizes an allocation beyond the input).
    pub fn read_count(&mut self, what: Counted, min_bytes: usize) -> ReadResult<usize> {
        let at = self.pos;
        let count = self.read_i32()?;
        self.check_count(at, what, i64::from(count), min_bytes)
    }

    /// A `short` count (`KeyedBackendSerializationProxy`'s number of states).
    pub fn read_short_count(&mut self, what: Counted, min_bytes: usize) -> ReadResult<usize> {
        let at = self.pos;
        let count = self.read_i16()?;
        self.check_count(at, what, i64::from(count), min_bytes)
    }

    /// `count` (read at `at`) checked as [`read_count`](Self::read_count) checks it.
    pub fn check_count(
        &self,
        at: usize,
        what: Counted,
        count: i64,
        min_bytes: usize,
    ) -> ReadResult<usize> {
        let problem = if count < 0 {
            ReadProblem::Negative { what, value: count }
        } else if (count as u64).saturating_mul(min_bytes as u64) > self.available() as u64 {
            ReadProblem::CountBeyondBytes {
                what,
                count: count as u64,
                left: self.available() as u64,
            }
        } else {
            return Ok(count as usize);
        };
        Err(ReadError {
            offset: at as u64,
            problem,
        })
    }

    /// `readUTF`: an unsigned short length, then modified UTF-8 (`\0` as `C0 80`, characters beyond the BMP as
    /// two surrogates of three bytes each). A lone surrogate, which a Java string may hold, becomes U+FFFD.
    pub fn read_utf(&mut self) -> ReadResult<String> {
        let len = usize::from(self.read_u16()?);
        let start = self.pos;
        let bytes = self.read_fully(len)?;
        decode_modified_utf8(bytes).ok_or(ReadError {
            offset: start as u64,
            problem: ReadProblem::BadText,
        })
    }
}

/// Modified UTF-8 to a string, or `None` when the bytes do not follow it.
pub fn decode_modified_utf8(bytes: &[u8]) -> Option<String> {
    // ASCII (no zero bytes) is the usual case: no UTF-16 detour.
    if bytes.iter().all(|&b| b != 0 && b < 0x80) {
        return std::str::from_utf8(bytes).ok().map(str::to_owned);
    }
    let mut units = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let a = u16::from(bytes[i]);
        let cont = |k: usize| {
            bytes
                .get(i + k)
                .filter(|b| *b & 0xC0 == 0x80)
                .map(|b| u16::from(*b & 0x3F))
        };
        if a & 0x80 == 0 {
            units.push(a);
            i += 1;
        } else if a & 0xE0 == 0xC0 {
            units.push(((a & 0x1F) << 6) | cont(1)?);
            i += 2;
        } else if a & 0xF0 == 0xE0 {
            units.push(((a & 0x0F) << 12) | (cont(1)? << 6) | cont(2)?);
            i += 3;
        } else {
            return None;
        }
    }
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_and_refuses_to_read_past_the_end() {
        let mut r = DataInputDeserializer::new(&[0, 0, 0, 6, 0xff, 0xff]);
        assert_eq!(r.read_i32(), Ok(6));
        assert_eq!(r.read_i16(), Ok(-1));
        assert_eq!(r.read_u8().unwrap_err().problem, ReadProblem::CutShort);
    }

    #[test]
    fn a_count_is_bounded_by_the_bytes_left() {
        let mut r = DataInputDeserializer::new(&[0, 0, 0, 3, 1, 2, 3]);
        assert_eq!(r.read_count(Counted::Entries, 1), Ok(3));
        let mut r = DataInputDeserializer::new(&[0, 0, 0, 4, 1, 2, 3]);
        assert!(matches!(
            r.read_count(Counted::Entries, 1).unwrap_err().problem,
            ReadProblem::CountBeyondBytes {
                count: 4,
                left: 3,
                ..
            }
        ));
        let mut r = DataInputDeserializer::new(&[0xff, 0xff, 0xff, 0xff]);
        assert!(matches!(
            r.read_count(Counted::Entries, 0).unwrap_err().problem,
            ReadProblem::Negative { value: -1, .. }
        ));
    }

    #[test]
    fn modified_utf8_reads_as_java_writes_it() {
        // "a\0é€😀" as DataOutputStream.writeUTF writes it.
        let bytes = [
            0x61, 0xC0, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80,
        ];
        assert_eq!(decode_modified_utf8(&bytes).as_deref(), Some("a\0é€😀"));
        assert_eq!(decode_modified_utf8(&[0xC3]), None);
        assert_eq!(decode_modified_utf8(&[0xFF]), None);
    }
}
