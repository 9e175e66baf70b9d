//! The event a record carries besides its key — the fields of the `Event` POJO the job presets beyond the
//! counter read (`event.category`, `event.amount`). Not a Flink class: StateLab's generator draws them from the
//! seed and the event's index on streams of their own, so adding them changes no key any run draws, and a
//! replayed or rewound source sees the same fields again.

use crate::engine::source::random::{random_below, stream};
use crate::engine::tasks::stream_element::EventRef;

/// The categories an event falls in (`event.category`).
pub const CATEGORIES: [&str; 4] = ["view", "click", "cart", "buy"];

/// The largest `event.amount`; amounts are 1..=MAX_AMOUNT.
pub const MAX_AMOUNT: i64 = 100;

/// An event's fields besides its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// One of [`CATEGORIES`].
    pub category: &'static str,
    /// 1..=[`MAX_AMOUNT`].
    pub amount: i64,
}

impl Event {
    /// The fields of event `event` of a run seeded with `seed`. Events typed in by hand count on a counter
    /// range of their own.
    pub fn of(seed: u64, event: EventRef) -> Event {
        let counter = match event {
            EventRef::Generated(i) => i,
            EventRef::Injected(i) => i | (1 << 63),
            EventRef::Timer(t) => t | (1 << 62),
        };
        let category = random_below(
            seed,
            stream::EVENT_CATEGORY,
            counter,
            CATEGORIES.len() as u64,
        );
        let amount =
            1 + random_below(seed, stream::EVENT_AMOUNT, counter, MAX_AMOUNT as u64) as i64;
        Event {
            category: CATEGORIES[category as usize],
            amount,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_a_function_of_seed_and_event_and_cover_their_ranges() {
        assert_eq!(
            Event::of(7, EventRef::Generated(3)),
            Event::of(7, EventRef::Generated(3))
        );
        let events: Vec<Event> = (0..2000)
            .map(|i| Event::of(7, EventRef::Generated(i)))
            .collect();
        for c in CATEGORIES {
            assert!(events.iter().any(|e| e.category == c), "{c} drawn");
        }
        assert!(events.iter().all(|e| (1..=MAX_AMOUNT).contains(&e.amount)));
        assert!(
            events.iter().any(|e| e.amount == 1) && events.iter().any(|e| e.amount == MAX_AMOUNT)
        );
        assert_ne!(
            Event::of(7, EventRef::Generated(3)),
            Event::of(7, EventRef::Injected(3)),
            "typed-in events draw on their own counters (here they differ)"
        );
    }
}
