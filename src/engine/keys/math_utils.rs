//! Bit-exact ports of the parts of Flink's `org.apache.flink.util.MathUtils` that decide where a key lives:
//! `murmurHash` (key → key group), `bitMix` (the in-map hash of `CopyOnWriteStateMap`) and
//! `roundUpToPowerOfTwo` (default max parallelism, map capacities). All arithmetic is Java `int` arithmetic:
//! 32-bit two's complement, wrapping multiplication, `>>>` as a logical shift.

/// `MathUtils.murmurHash(int)`: Murmur3_x86_32 (seed 0) over the int's four little-endian bytes, then made
/// non-negative the way Flink does it (`-code`, and `Integer.MIN_VALUE` becomes 0).
pub const fn murmur_hash(code: i32) -> i32 {
    let mut c = code as u32;
    c = c.wrapping_mul(0xcc9e_2d51);
    c = c.rotate_left(15);
    c = c.wrapping_mul(0x1b87_3593);
    c = c.rotate_left(13);
    c = c.wrapping_mul(5).wrapping_add(0xe654_6b64);
    c ^= 4;
    let mixed = bit_mix(c as i32);
    if mixed >= 0 {
        mixed
    } else if mixed != i32::MIN {
        -mixed
    } else {
        0
    }
}

/// `MathUtils.bitMix(int)`: the murmur3 finaliser (`fmix32`). May be negative.
pub const fn bit_mix(code: i32) -> i32 {
    let mut c = code as u32;
    c ^= c >> 16;
    c = c.wrapping_mul(0x85eb_ca6b);
    c ^= c >> 13;
    c = c.wrapping_mul(0xc2b2_ae35);
    c ^= c >> 16;
    c as i32
}

/// `MathUtils.roundUpToPowerOfTwo(int)`, including its Java behaviour at the edges (0 → 0, negative → 0,
/// above 2^30 → `Integer.MIN_VALUE`).
pub const fn round_up_to_power_of_two(x: i32) -> i32 {
    let mut x = x.wrapping_sub(1);
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    x.wrapping_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur_hash_of_string_a_follows_the_reference_step_trace() {
        // "a".hashCode() == 97; the reference walks this input to 0x56c1cbd1.
        assert_eq!(murmur_hash(97), 0x56c1_cbd1);
        assert_eq!(murmur_hash(97), 1_455_541_201);
    }

    #[test]
    fn murmur_hash_is_never_negative() {
        for code in [i32::MIN, -1, 0, 1, i32::MAX, 42, -836_031_825] {
            assert!(murmur_hash(code) >= 0, "{code}");
        }
    }

    #[test]
    fn bit_mix_matches_the_cow_hash_of_the_reference_table() {
        // cowHash = bitMix(hashCode ^ VoidNamespace.hashCode()) for "a", "user-1", 42L, "".
        assert_eq!(bit_mix(97 ^ 99), 821_347_078);
        assert_eq!(bit_mix(-836_031_825 ^ 99), 1_131_145_041);
        assert_eq!(bit_mix(42 ^ 99), -828_573_566);
        assert_eq!(bit_mix(99), -1_672_646_182);
    }

    #[test]
    fn round_up_to_power_of_two_matches_java() {
        assert_eq!(round_up_to_power_of_two(1), 1);
        assert_eq!(round_up_to_power_of_two(3), 4);
        assert_eq!(round_up_to_power_of_two(128), 128);
        assert_eq!(round_up_to_power_of_two(129), 256);
        assert_eq!(round_up_to_power_of_two(0), 0);
        assert_eq!(round_up_to_power_of_two((1 << 30) + 1), i32::MIN);
    }
}
