//! The hybrid logical clock (HLC) that orders every change to a synced record.
//!
//! After Kulkarni, Demirbas et al., "Logical Physical Clocks and Consistent Snapshots in
//! Globally Distributed Databases" (2014): a stamp is `(wall, counter, device)`, compared in
//! that order. `wall` is unix seconds (the core's time unit everywhere), `counter` orders
//! changes within one second or while the wall clock lags, `device` (random per install)
//! breaks the remaining ties, so two devices never issue the same stamp.
//!
//! Why it is sound:
//! - **Monotonic.** [`Clock::tick`] returns a stamp greater than every stamp this device issued
//!   or followed before, even if the wall clock steps back (the counter grows instead). The
//!   clock's last stamp is stored with the replica, so this holds across restarts.
//! - **Causal.** A device that has seen a change (merged it, [`Clock::observe`]) stamps its
//!   later changes higher, so an edit made after seeing a value always wins over that value,
//!   whatever the two devices' wall clocks say, as long as the skew is within
//!   [`MAX_CLOCK_SKEW_SECS`].
//! - **Skew-bounded.** A stamp more than [`MAX_CLOCK_SKEW_SECS`] ahead of this device's wall
//!   clock is still merged (the merge must stay a pure function of the data, or replicas
//!   would not converge) but is not followed: one device with a clock set years ahead cannot
//!   drag every device's clock with it. Within the limit, causality holds; beyond it, a value
//!   stamped by the broken clock wins until real time passes it (the price of convergence).

use serde::{Deserialize, Serialize};

/// How far ahead of this device's wall clock a remote stamp may be and still be followed:
/// one day, in seconds. Phones and laptops synchronised by NTP are within seconds; a wrong
/// time zone setting is at most 14 hours off (UTC+14).
pub const MAX_CLOCK_SKEW_SECS: u64 = 86_400;

/// A device's random id: the last tie-break between stamps.
pub type DeviceId = u64;

/// One stamp: compared by `wall`, then `counter`, then `device` (the derived order).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Hlc {
    /// Unix seconds (the largest wall time this device had seen when it stamped).
    pub wall: u64,
    /// Changes within the same `wall` second.
    pub counter: u32,
    /// The stamping device.
    pub device: DeviceId,
}

/// A device's clock: the last stamp it issued or followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    /// A fresh clock for `device`.
    pub fn new(device: DeviceId) -> Clock {
        Clock {
            last: Hlc {
                wall: 0,
                counter: 0,
                device,
            },
        }
    }

    /// A clock resumed from its stored last stamp (which names the device).
    pub fn resume(last: Hlc) -> Clock {
        Clock { last }
    }

    /// The last stamp issued or followed (to store).
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// This clock's device.
    pub fn device(&self) -> DeviceId {
        self.last.device
    }

    /// A new stamp for a local change at `now` (unix seconds), greater than every stamp
    /// issued or followed before.
    pub fn tick(&mut self, now: u64) -> Hlc {
        if now > self.last.wall {
            self.last.wall = now;
            self.last.counter = 0;
        } else if self.last.counter == u32::MAX {
            // Four billion changes in one second: borrow the next second.
            self.last.wall += 1;
            self.last.counter = 0;
        } else {
            self.last.counter += 1;
        }
        self.last
    }

    /// Follows a stamp seen in merged data, so the next [`Clock::tick`] is after it.
    /// Returns false (and does not follow) when `seen` is more than
    /// [`MAX_CLOCK_SKEW_SECS`] ahead of `now`.
    pub fn observe(&mut self, seen: Hlc, now: u64) -> bool {
        if seen.wall > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
            return false;
        }
        if (seen.wall, seen.counter) > (self.last.wall, self.last.counter) {
            self.last.wall = seen.wall;
            self.last.counter = seen.counter;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_grow_even_when_the_wall_clock_steps_back() {
        let mut c = Clock::new(7);
        let a = c.tick(100);
        let b = c.tick(100);
        let d = c.tick(90);
        let e = c.tick(101);
        assert!(a < b && b < d && d < e, "{a:?} {b:?} {d:?} {e:?}");
        assert_eq!(d.wall, 100);
        assert_eq!(e.counter, 0);
    }

    #[test]
    fn a_seen_stamp_is_followed_within_the_skew_limit_only() {
        let mut c = Clock::new(1);
        c.tick(1_000);
        let ahead = Hlc {
            wall: 1_000 + 3_600,
            counter: 5,
            device: 2,
        };
        assert!(c.observe(ahead, 1_000));
        let next = c.tick(1_001);
        assert!(next > ahead, "{next:?}");
        assert_eq!(next.device, 1);
        let broken = Hlc {
            wall: 1_000 + MAX_CLOCK_SKEW_SECS + 3_600 + 1,
            counter: 0,
            device: 3,
        };
        assert!(!c.observe(broken, 1_000));
        assert!(c.tick(1_002) < broken);
    }

    #[test]
    fn the_counter_never_wraps() {
        let mut c = Clock::resume(Hlc {
            wall: 5,
            counter: u32::MAX,
            device: 1,
        });
        let t = c.tick(5);
        assert_eq!((t.wall, t.counter), (6, 0));
    }
}
