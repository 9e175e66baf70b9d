//! Bringing what a lesson step talks about into view: how far to scroll the page so that the highlighted parts
//! show whole in the part of the window nothing covers — below the sticky header, above a lesson sheet at the
//! bottom — or, in a part too tall for that, the lines the job is on (the code panel's current line). Plain
//! arithmetic on boxes, so that it is tested natively; the page measures the boxes and scrolls.

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

/// A highlighted part of the page: its extent, and that of the lines the job is on where it shows them (the code
/// panel's current line, or the several lines of one call), which are what its step talks about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub part: Extent,
    pub current: Option<Extent>,
}

/// How far to scroll down (negative: up) so that `targets` show whole inside `visible`: all of them if they fit
/// there together, else the first. Nothing moves (0) for targets already in view, so that a step never scrolls
/// away from what the learner is looking at without need. A first target taller than `visible` starts at its top,
/// unless it shows the lines the job is on: then those lines show whole (on a phone the lessons sheet covers what
/// lies below the room above it, so the top of a long code panel would leave its current line hidden), with as
/// much of the part above them as fits, the part's top first.
pub fn scroll_by(targets: &[Target], visible: Extent) -> f64 {
    let Some(first) = targets.first() else {
        return 0.0;
    };
    let all = targets.iter().fold(first.part, |a, t| Extent {
        top: a.top.min(t.part.top),
        bottom: a.bottom.max(t.part.bottom),
    });
    if all.height() <= visible.height() {
        return into_view(all, visible);
    }
    if first.part.height() <= visible.height() {
        return into_view(first.part, visible);
    }
    let from_top = first.part.top - visible.top;
    match first.current {
        // The part's top just below the header where the lines still show then, else the lines at the bottom of
        // `visible`; the same place whatever the page's scroll, so that keeping them in view never drifts.
        Some(lines) if lines.height() <= visible.height() => from_top
            .max(lines.bottom - visible.bottom)
            .min(lines.top - visible.top),
        Some(lines) => lines.top - visible.top,
        None => from_top,
    }
}

/// How far to scroll so that `shown`, no taller than `visible`, is inside it: 0 when it is.
fn into_view(shown: Extent, visible: Extent) -> f64 {
    if shown.top < visible.top {
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

    fn at(top: f64, bottom: f64) -> Target {
        Target {
            part: Extent { top, bottom },
            current: None,
        }
    }

    /// A part from `top` to `bottom` showing the lines the job is on from `lines_top` to `lines_bottom`.
    fn with_lines(top: f64, bottom: f64, lines_top: f64, lines_bottom: f64) -> Target {
        Target {
            part: Extent { top, bottom },
            current: Some(Extent {
                top: lines_top,
                bottom: lines_bottom,
            }),
        }
    }

    /// The target after the page scrolled down by `delta`.
    fn scrolled(t: Target, delta: f64) -> Target {
        let by = |e: Extent| Extent {
            top: e.top - delta,
            bottom: e.bottom - delta,
        };
        Target {
            part: by(t.part),
            current: t.current.map(by),
        }
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

    #[test]
    fn a_part_that_fits_shows_whole_whatever_lines_it_shows() {
        assert_eq!(
            scroll_by(&[with_lines(1000.0, 1400.0, 1300.0, 1320.0)], WINDOW),
            500.0
        );
        assert_eq!(
            scroll_by(&[with_lines(100.0, 500.0, 120.0, 140.0)], WINDOW),
            0.0
        );
    }

    #[test]
    fn a_tall_part_starts_just_below_the_header_when_its_current_lines_show_so() {
        assert_eq!(
            scroll_by(&[with_lines(300.0, 1500.0, 500.0, 560.0)], WINDOW),
            210.0
        );
        // Scrolled far past, it comes back down to its top, the lines below it in view.
        assert_eq!(
            scroll_by(&[with_lines(-2000.0, -500.0, -1800.0, -1700.0)], WINDOW),
            -2090.0
        );
    }

    #[test]
    fn a_tall_parts_current_lines_out_of_the_room_show_at_its_bottom_under_as_much_of_the_part_as_fits(
    ) {
        // onTimer's eight lines on a phone: the room is above the lessons sheet, 506 px of a 844 px window.
        let phone = Extent {
            top: 0.0,
            bottom: 506.0,
        };
        assert_eq!(
            scroll_by(&[with_lines(0.0, 930.0, 629.0, 866.0)], phone),
            360.0
        );
        assert_eq!(
            scroll_by(&[with_lines(300.0, 1500.0, 1200.0, 1300.0)], WINDOW),
            400.0
        );
        // Scrolled past them, the page comes back up as far as the lines still show, not to the part's top.
        assert_eq!(
            scroll_by(&[with_lines(-3000.0, 1500.0, -1000.0, -900.0)], WINDOW),
            -1800.0
        );
    }

    #[test]
    fn current_lines_taller_than_the_window_start_just_below_the_header() {
        assert_eq!(
            scroll_by(&[with_lines(0.0, 3000.0, 1000.0, 2000.0)], WINDOW),
            910.0
        );
    }

    #[test]
    fn only_the_first_parts_current_lines_count_when_the_parts_do_not_fit_together() {
        let code = with_lines(100.0, 1500.0, 1200.0, 1300.0);
        let other = with_lines(1600.0, 1700.0, 1600.0, 1620.0);
        assert_eq!(scroll_by(&[code, other], WINDOW), 400.0);
        assert_eq!(scroll_by(&[other, code], WINDOW), 800.0);
    }

    #[test]
    fn current_lines_brought_into_view_stay_where_they_are() {
        for target in [
            with_lines(0.0, 930.0, 629.0, 866.0),
            with_lines(300.0, 1500.0, 500.0, 560.0),
            with_lines(-3000.0, 1500.0, -1000.0, -900.0),
        ] {
            let delta = scroll_by(&[target], WINDOW);
            assert_eq!(scroll_by(&[scrolled(target, delta)], WINDOW), 0.0);
        }
    }
}
