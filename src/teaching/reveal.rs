//! Bringing what a lesson step talks about into view: how far to scroll the page so that the highlighted parts
//! show whole in the part of the window nothing covers — below the sticky header, above a lesson sheet at the
//! bottom. Plain arithmetic on boxes, so that it is tested natively; the page measures the boxes and scrolls.

/// A vertical extent in window coordinates (CSS pixels, 0 at the window's top edge).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extent {
    pub top: f64,
    pub bottom: f64,
}

impl Extent {
    fn height(self) -> f64 {
        self.bottom - self.top
    }
}

/// How far to scroll down (negative: up) so that `targets` show whole inside `visible`: all of them if they fit
/// there together, else the first; one taller than `visible` starts at its top. Nothing moves (0) for targets
/// already in view, so that a step never scrolls away from what the learner is looking at without need.
pub fn scroll_by(targets: &[Extent], visible: Extent) -> f64 {
    let Some(&first) = targets.first() else {
        return 0.0;
    };
    let all = targets.iter().fold(first, |a, t| Extent {
        top: a.top.min(t.top),
        bottom: a.bottom.max(t.bottom),
    });
    let shown = if all.height() <= visible.height() {
        all
    } else {
        first
    };
    if shown.top < visible.top || shown.height() > visible.height() {
        shown.top - visible.top
    } else if shown.bottom > visible.bottom {
        shown.bottom - visible.bottom
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Extent = Extent {
        top: 90.0,
        bottom: 900.0,
    };

    fn at(top: f64, bottom: f64) -> Extent {
        Extent { top, bottom }
    }

    #[test]
    fn a_part_in_view_stays_where_it_is() {
        assert_eq!(scroll_by(&[at(100.0, 500.0)], WINDOW), 0.0);
        assert_eq!(scroll_by(&[], WINDOW), 0.0);
    }

    #[test]
    fn a_part_under_the_header_or_above_the_window_comes_down_to_just_below_the_header() {
        assert_eq!(scroll_by(&[at(40.0, 300.0)], WINDOW), -50.0);
        assert_eq!(scroll_by(&[at(-2000.0, -1500.0)], WINDOW), -2090.0);
    }

    #[test]
    fn a_part_below_the_window_comes_up_until_its_bottom_shows() {
        assert_eq!(scroll_by(&[at(1500.0, 1800.0)], WINDOW), 900.0);
    }

    #[test]
    fn parts_that_fit_together_show_together_else_the_first() {
        assert_eq!(
            scroll_by(&[at(1000.0, 1200.0), at(1300.0, 1600.0)], WINDOW),
            700.0
        );
        // Together 1,100 px: more than the 810 px in view, so the first shows whole.
        assert_eq!(
            scroll_by(&[at(1000.0, 1200.0), at(1800.0, 2100.0)], WINDOW),
            300.0
        );
    }

    #[test]
    fn a_part_taller_than_the_window_starts_just_below_the_header() {
        assert_eq!(scroll_by(&[at(300.0, 1500.0)], WINDOW), 210.0);
        assert_eq!(scroll_by(&[at(90.0, 2000.0)], WINDOW), 0.0);
    }
}
