//! Timings of the page's animation frames: the engine's time and the render's. The animation loop reads from
//! them how much of the next frame the engine may use; the `automation` build also keeps the recent frames for
//! `window.statelab.frames()`.

/// Engine and render time of one animation frame (ms).
#[cfg(feature = "automation")]
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameTiming {
    pub engine_ms: f64,
    pub render_ms: f64,
}

#[cfg(feature = "automation")]
const FRAMES_KEPT: usize = 600;

/// Renders of the root component so far and when the latest one finished, its children's effects (canvases
/// drawn) included (ms, `performance.now()`).
#[cfg(feature = "automation")]
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Renders {
    pub count: u64,
    pub last_ms: f64,
}

/// Timings of recent frames, written by the animation loop and the root component.
#[derive(Default)]
pub struct FrameLog {
    #[cfg(feature = "automation")]
    frames: std::collections::VecDeque<FrameTiming>,
    #[cfg(feature = "automation")]
    renders: Renders,
    /// When the current frame's render began (after the engine ran): the engine's time and the moment.
    render_started: Option<(f64, f64)>,
    /// Smoothed render time (ms).
    render_ema: f64,
}

impl FrameLog {
    pub fn engine_done(&mut self, engine_ms: f64, at: f64) {
        self.render_started = Some((engine_ms, at));
    }

    /// The root component rendered (its effects run after its children's: the whole page is drawn).
    pub fn render_done(&mut self, at: f64) {
        #[cfg(feature = "automation")]
        {
            self.renders.count += 1;
            self.renders.last_ms = at;
        }
        if let Some((_engine_ms, started)) = self.render_started.take() {
            #[cfg(feature = "automation")]
            {
                if self.frames.len() == FRAMES_KEPT {
                    self.frames.pop_front();
                }
                self.frames.push_back(FrameTiming {
                    engine_ms: _engine_ms,
                    render_ms: at - started,
                });
            }
            self.render_ema = self.render_ema * 0.9 + (at - started) * 0.1;
        }
    }

    /// The engine's share of the next frame: what is left of ~12 ms after rendering, so that frames keep up
    /// with a 60 Hz display.
    pub fn engine_budget_ms(&self) -> f64 {
        (12.0 - 1.5 * self.render_ema).clamp(3.0, 10.0)
    }

    /// The root component's renders so far.
    #[cfg(feature = "automation")]
    pub fn renders(&self) -> Renders {
        self.renders
    }

    /// The recent frames, oldest first.
    #[cfg(feature = "automation")]
    pub fn recent(&self) -> impl Iterator<Item = &FrameTiming> {
        self.frames.iter()
    }
}
