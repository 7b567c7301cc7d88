//! The hybrid logical clock that stamps every queued mutation (docs/SYNC.md, "Conflicts").
//!
//! An [`Hlc`] is 64 bits: 48 bits of milliseconds since the Unix epoch, then a 16-bit counter.
//! Written as 16 lowercase hex digits, text order is time order. A [`HlcClock`] never goes
//! backwards: when the wall clock stalls or steps back, the counter moves on, and a full
//! counter carries into the milliseconds. The time is always passed in; this module never
//! reads the wall clock.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const COUNTER_BITS: u32 = 16;

/// The largest millisecond count an [`Hlc`] holds (about the year 10889).
pub const MAX_MILLIS: u64 = (1 << 48) - 1;

/// One reading of a hybrid logical clock; ordered as time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc(u64);

/// Why a text or a reading is not an [`Hlc`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlcError {
    /// The text is not exactly 16 hex digits.
    #[error("an HLC is 16 hex digits, not {text:?}")]
    Malformed {
        /// The text given.
        text: String,
    },
    /// The milliseconds do not fit in 48 bits.
    #[error("{millis} ms does not fit in an HLC's 48 bits")]
    MillisOutOfRange {
        /// The milliseconds given.
        millis: u64,
    },
}

impl Hlc {
    /// The earliest reading, before any tick.
    pub const ZERO: Self = Self(0);

    /// The reading at `millis` with `counter`; fails when `millis` passes [`MAX_MILLIS`].
    pub fn try_new(millis: u64, counter: u16) -> Result<Self, HlcError> {
        if millis > MAX_MILLIS {
            return Err(HlcError::MillisOutOfRange { millis });
        }
        Ok(Self((millis << COUNTER_BITS) | u64::from(counter)))
    }

    /// Reads 16 hex digits, either case.
    pub fn parse(text: &str) -> Result<Self, HlcError> {
        let malformed = || HlcError::Malformed { text: text.to_owned() };
        // `from_str_radix` alone would also take a leading `+`.
        if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed());
        }
        u64::from_str_radix(text, 16).map(Self).map_err(|_| malformed())
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The counter within the millisecond.
    pub fn counter(self) -> u16 {
        // The mask keeps 16 bits, so the cast loses nothing.
        (self.0 & 0xffff) as u16
    }

    /// The next reading after this one; the counter carries into the milliseconds.
    fn successor(self) -> Self {
        // Saturates only at the end of year 10889.
        Self(self.0.saturating_add(1))
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for Hlc {
    type Err = HlcError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A client's clock: the last reading it handed out or saw from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next reading at wall time `now_ms`: later than every reading before it, even when
    /// the wall clock went backwards.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let wall = Hlc(now_ms.min(MAX_MILLIS) << COUNTER_BITS);
        self.last = if wall > self.last { wall } else { self.last.successor() };
        self.last
    }

    /// Takes in a reading from elsewhere (the server's, seen on a pull), so every later tick
    /// follows it.
    pub fn merge(&mut self, remote: Hlc) {
        self.last = self.last.max(remote);
    }

    /// The last reading handed out or merged.
    pub fn last(&self) -> Hlc {
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_follow_the_wall_clock_with_a_zero_counter() {
        let mut clock = HlcClock::new();
        let t = clock.tick(1_720_000_000_123);
        assert_eq!((t.millis(), t.counter()), (1_720_000_000_123, 0));
        let t = clock.tick(1_720_000_000_200);
        assert_eq!((t.millis(), t.counter()), (1_720_000_000_200, 0));
    }

    #[test]
    fn a_clock_going_backwards_still_ticks_forward() {
        let mut clock = HlcClock::new();
        let first = clock.tick(10_000);
        let second = clock.tick(10_000);
        let third = clock.tick(4_000);
        assert_eq!((second.millis(), second.counter()), (10_000, 1));
        assert_eq!((third.millis(), third.counter()), (10_000, 2));
        assert!(first < second && second < third);
        assert!(first.to_string() < second.to_string() && second.to_string() < third.to_string());
    }

    #[test]
    fn a_full_counter_carries_into_the_milliseconds() {
        let mut clock = HlcClock::new();
        clock.merge(Hlc::try_new(500, u16::MAX).unwrap());
        let t = clock.tick(500);
        assert_eq!((t.millis(), t.counter()), (501, 0));
        let t = clock.tick(501);
        assert_eq!((t.millis(), t.counter()), (501, 1));
    }

    #[test]
    fn merging_a_later_server_reading_moves_the_next_tick_past_it() {
        let mut clock = HlcClock::new();
        clock.tick(1_000);
        let server = Hlc::try_new(9_000, 7).unwrap();
        clock.merge(server);
        assert_eq!(clock.tick(1_001), Hlc::try_new(9_000, 8).unwrap());
        clock.merge(Hlc::try_new(2_000, 0).unwrap());
        assert_eq!(clock.last(), Hlc::try_new(9_000, 8).unwrap(), "an earlier reading changes nothing");
    }

    #[test]
    fn a_wall_clock_past_48_bits_is_held_at_the_maximum() {
        let mut clock = HlcClock::new();
        let t = clock.tick(u64::MAX);
        assert_eq!((t.millis(), t.counter()), (MAX_MILLIS, 0));
        assert_eq!(Hlc::try_new(MAX_MILLIS + 1, 0), Err(HlcError::MillisOutOfRange { millis: MAX_MILLIS + 1 }));
    }

    #[test]
    fn text_is_sixteen_lowercase_hex_digits_and_reads_back() {
        let t = Hlc::try_new(0x0190_f3c2_a1b4, 3).unwrap();
        assert_eq!(t.to_string(), "0190f3c2a1b40003");
        assert_eq!(Hlc::parse("0190f3c2a1b40003"), Ok(t));
        assert_eq!(Hlc::parse("0190F3C2A1B40003"), Ok(t));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"0190f3c2a1b40003\"");
        assert_eq!(serde_json::from_str::<Hlc>("\"0190f3c2a1b40003\"").unwrap(), t);
    }

    #[test]
    fn other_text_is_refused() {
        for text in ["", "0190", "0190f3c2a1b4000", "0190f3c2a1b400030", "+190f3c2a1b40003", "0190f3c2a1b4000g"] {
            assert!(matches!(Hlc::parse(text), Err(HlcError::Malformed { .. })), "{text:?} was read");
        }
        assert!(serde_json::from_str::<Hlc>("\"0190\"").is_err());
    }
}
