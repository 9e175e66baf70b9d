//! `TtlUtils` — when a `TtlValue` has expired: its last access plus the TTL (saturating at `Long.MAX_VALUE`) is
//! at or before now.

/// `getExpirationTimestamp(ts, ttl)`.
pub const fn expiration_timestamp(last_access: i64, ttl_ms: i64) -> i64 {
    if last_access > i64::MAX - ttl_ms {
        i64::MAX
    } else {
        last_access + ttl_ms
    }
}

/// `expired(ts, ttl, now)`.
pub const fn expired(last_access: i64, ttl_ms: i64, now: i64) -> bool {
    expiration_timestamp(last_access, ttl_ms) <= now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_expires_when_its_time_is_up_and_never_overflows() {
        assert!(!expired(1_000, 500, 1_499));
        assert!(expired(1_000, 500, 1_500));
        assert_eq!(expiration_timestamp(i64::MAX - 10, 100), i64::MAX);
        assert!(!expired(i64::MAX - 10, 100, i64::MAX - 1));
    }
}
