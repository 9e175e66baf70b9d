//! Canvas plumbing for the dense views: a 2D context sized for the device pixel ratio, and the theme's colours
//! read from CSS custom properties so canvases follow the light and dark themes.

use crate::engine::checkpoint::decimal::Shortest;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::NodeRef;

/// Sizes the canvas to `css_width × css_height` CSS pixels at the device pixel ratio and returns a context
/// whose units are CSS pixels.
pub fn prepare(
    node: &NodeRef,
    css_width: f64,
    css_height: f64,
) -> Option<CanvasRenderingContext2d> {
    let canvas: HtmlCanvasElement = node.cast()?;
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let (w, h) = (
        (css_width * ratio).round() as u32,
        (css_height * ratio).round() as u32,
    );
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let style = canvas.style();
    let _ = style.set_property("width", &format!("{}px", Shortest(css_width)));
    let _ = style.set_property("height", &format!("{}px", Shortest(css_height)));
    let ctx = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_width, css_height);
    Some(ctx)
}

/// The CSS width of an element (its layout box), to size a canvas to its container.
pub fn width_of(node: &NodeRef) -> Option<f64> {
    let element: web_sys::Element = node.cast()?;
    Some(element.get_bounding_client_rect().width())
}

/// The element that carries the theme (`data-theme` and its colours): the app's root, where the theme switch
/// sets it.
fn theme_root() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    document
        .query_selector(".app[data-theme]")
        .ok()
        .flatten()
        .or_else(|| document.document_element())
}

/// A theme colour (`--fg`, `--muted`, …) from the themed root's computed style.
pub fn theme_color(name: &str) -> String {
    web_sys::window()
        .and_then(|w| {
            let root = theme_root()?;
            w.get_computed_style(&root)
                .ok()?
                .map(|s| s.get_property_value(name).unwrap_or_default())
        })
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#888".to_owned())
}

/// Whether the dark theme is active.
pub fn is_dark() -> bool {
    theme_root().is_some_and(|e| e.get_attribute("data-theme").as_deref() == Some("dark"))
}
