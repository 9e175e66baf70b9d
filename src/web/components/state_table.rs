//! Each subtask's `HeapKeyedStateBackend`: its `KeyGroupRange` and the `StateTable` of the job function's state with one
//! cell per key group — a `CopyOnWriteStateMap` each, coloured by how many entries it holds. Drawn on a canvas
//! so that 32,768 key groups stay cheap. Click a cell to open that map.

use crate::engine::cluster::job_config::parse_key;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::messages::{common, state_table as msg};
use crate::player::format;
use crate::web::canvas::{is_dark, prepare, theme_color, width_of};
use crate::web::components::term::Term;
use crate::web::context::{use_sim, use_ui};
use crate::web::context::{Sim, Ui, UiAction};
use crate::web::palette;
use web_sys::MouseEvent;
use yew::prelude::*;

#[function_component(StateTablePanel)]
pub fn state_table_panel() -> Html {
    let sim = use_sim();
    let l = use_ui().lang;
    let s = sim.borrow();
    let c = s.shown();
    let max_entries = c
        .tasks()
        .iter()
        .flat_map(|t| map_sizes(t.backend()))
        .max()
        .unwrap_or(0);
    let total: u64 = c
        .tasks()
        .iter()
        .map(|t| t.backend().num_key_value_state_entries() as u64)
        .sum();
    let p = c.parallelism();
    let m = c.max_parallelism();
    let state = c.config().function.state_name();
    drop(s);
    html! {
        <section class="panel state" data-testid="state-table" aria-label={l.t(&msg::LABEL)}>
            <div class="panel-head">
                <h2><Term id="state-table">{msg::title(state)}</Term></h2>
                <span class="hint">{msg::summary(l, m, p, &format::count(total))}</span>
            </div>
            <div class="subtask-grids">
                { for SubtaskIndex::all(p).map(|i| html! { <SubtaskGrid index={i} max_entries={max_entries} /> }) }
            </div>
            <div class="legend">
                <span>{"0"}</span>
                <span class="ramp"></span>
                <span>{common::entries(l, &format::count(max_entries))}</span>
                <span class="legend-item"><span class="swatch selected"></span>{l.t(&msg::SELECTED)}</span>
                <span class="legend-item"><span class="swatch followed"></span>{l.t(&msg::FOLLOWED)}</span>
                <span class="legend-item"><span class="swatch pending"></span>{l.t(&msg::PENDING)}</span>
                <span class="legend-item"><span class="swatch moved"></span>{l.t(&msg::MOVED)}</span>
            </div>
        </section>
    }
}

/// The entries of each key group's map of the job function's state, in key-group order.
fn map_sizes(backend: &HeapKeyedStateBackend) -> impl Iterator<Item = u64> + '_ {
    backend
        .key_group_range()
        .iter()
        .map(|kg| backend.first_state_map(kg).map_or(0, |m| m.size() as u64))
}

#[derive(Properties, PartialEq)]
struct GridProps {
    index: SubtaskIndex,
    max_entries: u64,
}

/// Grid geometry for `n` cells in `width` pixels.
fn geometry(n: usize, width: f64) -> (usize, f64) {
    let width = width.max(120.0);
    let mut cell = 26.0f64;
    loop {
        let columns = ((width / cell).floor() as usize).max(1);
        let rows = n.div_ceil(columns);
        if rows as f64 * cell <= 150.0 || cell <= 2.0 {
            return (columns, cell);
        }
        cell -= 1.0;
    }
}

#[function_component(SubtaskGrid)]
fn subtask_grid(props: &GridProps) -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let canvas = use_node_ref();
    let container = use_node_ref();
    let hover = use_state(|| None::<KeyGroup>);
    let index = props.index.index();
    let l = ui.lang;

    let s = sim.borrow();
    let c = s.shown();
    let Some(task) = c.tasks().get(index) else {
        return html! {};
    };
    let range = task.backend().key_group_range();
    let entries = task.backend().num_key_value_state_entries();
    let n = range.number_of_key_groups();
    let hover_text = hover.and_then(|kg| {
        let map = task.backend().first_state_map(kg)?;
        Some(msg::hover(
            l,
            kg,
            map.size(),
            map.capacity(),
            map.is_rehashing().then(|| map.rehash_capacity()),
        ))
    });
    drop(s);

    {
        let sim = sim.clone();
        let ui = ui.clone();
        let canvas = canvas.clone();
        let container = container.clone();
        let max_entries = props.max_entries;
        let hovered = *hover;
        use_effect_with(
            (
                sim.version,
                ui.selected_key_group,
                ui.followed_key.clone(),
                ui.theme,
                hovered,
            ),
            move |_| {
                draw(&sim, &ui, &canvas, &container, index, max_entries, hovered);
            },
        );
    }

    let cell_at = {
        let canvas = canvas.clone();
        let container = container.clone();
        move |e: &MouseEvent| -> Option<KeyGroup> {
            let element: web_sys::Element = canvas.cast()?;
            let rect = element.get_bounding_client_rect();
            let (columns, cell) = geometry(n, width_of(&container)?);
            let col = ((f64::from(e.client_x()) - rect.left()) / cell).floor() as usize;
            let row = ((f64::from(e.client_y()) - rect.top()) / cell).floor() as usize;
            let position = row * columns + col;
            (col < columns)
                .then(|| range.key_group_at(position))
                .flatten()
        }
    };
    let on_click = {
        let ui = ui.clone();
        let cell_at = cell_at.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(kg) = cell_at(&e) {
                ui.dispatch(UiAction::SelectKeyGroup(Some(kg)));
            }
        })
    };
    let on_move = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| {
            let cell = cell_at(&e);
            if *hover != cell {
                hover.set(cell);
            }
        })
    };
    let on_leave = {
        let hover = hover.clone();
        Callback::from(move |_| hover.set(None))
    };

    html! {
        <div class="subtask-grid" data-testid={format!("subtask-{index}")}>
            <div class="grid-head">
                <strong>{msg::subtask_title(l, index)}</strong>
                <span class="mono" translate="no" data-testid={format!("subtask-{index}-range")}>
                    {format!("KeyGroupRange{{startKeyGroup={}, endKeyGroup={}}}", range.start_key_group(), range.end_key_group())}
                </span>
                <span class="muted">{common::entries(l, &format::count(entries as u64))}</span>
            </div>
            <div ref={container} class="grid-canvas">
                <canvas ref={canvas} onclick={on_click} onmousemove={on_move} onmouseleave={on_leave}
                    aria-label={msg::grid_label(l, range.start_key_group(), range.end_key_group())} />
            </div>
            <div class="hover-line">{hover_text.unwrap_or_else(|| "\u{a0}".to_owned())}</div>
        </div>
    }
}

fn draw(
    sim: &Sim,
    ui: &Ui,
    canvas: &NodeRef,
    container: &NodeRef,
    index: usize,
    max_entries: u64,
    hovered: Option<KeyGroup>,
) {
    let s = sim.borrow();
    let c = s.shown();
    let Some(task) = c.tasks().get(index) else {
        return;
    };
    let Some(width) = width_of(container) else {
        return;
    };
    let range = task.backend().key_group_range();
    let n = range.number_of_key_groups();
    let (columns, cell) = geometry(n, width);
    let rows = n.div_ceil(columns);
    let Some(ctx) = prepare(canvas, columns as f64 * cell, rows as f64 * cell) else {
        return;
    };
    let dark = is_dark();
    let fg = theme_color("--fg");
    let accent = theme_color("--accent");
    let followed_kg = ui.followed_key.as_ref().and_then(|text| {
        let key = parse_key(text, c.config().source.key_format.key_type)?;
        Some(
            crate::engine::keys::key_group_range_assignment::assign_to_key_group(
                &key,
                c.max_parallelism() as i32,
            ),
        )
    });
    // Key groups at positions from `written` on are still to be written by the running snapshot.
    let pending_from = task.snapshot().map(|snap| snap.writer.written());
    let moved = s.outlined_moved_key_groups();
    let maps: Vec<u64> = map_sizes(task.backend()).collect();
    let mut moved_here = vec![false; n];
    for &kg in moved.unwrap_or(&[]) {
        if let Some(i) = range.index_of(kg) {
            moved_here[i] = true;
        }
    }
    let pending = |position: usize| pending_from.is_some_and(|from| position >= from);
    let gap = if cell >= 6.0 { 1.0 } else { 0.0 };
    if cell < 6.0 {
        // Many small cells: paint the pixels in Rust and hand the canvas one image.
        let ratio = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .max(1.0);
        let (w, h) = (
            ((columns as f64 * cell) * ratio).round() as usize,
            ((rows as f64 * cell) * ratio).round() as usize,
        );
        let mut pixels = vec![0u8; w * h * 4];
        for (position, &size) in maps.iter().enumerate() {
            let mut rgb = palette::heat_rgb(size, max_entries, dark);
            if moved_here[position] {
                rgb = [0x1e, 0x9e, 0x5a];
            } else if pending(position) {
                rgb = [
                    (rgb[0] as u16 * 2 / 3 + 30) as u8,
                    (rgb[1] as u16 * 2 / 3 + 37) as u8,
                    (rgb[2] as u16 * 2 / 3 + 80) as u8,
                ];
            }
            let (x0, y0) = (
                (position % columns) as f64 * cell * ratio,
                (position / columns) as f64 * cell * ratio,
            );
            for y in (y0 as usize)..(((y0 + cell * ratio) as usize).min(h)) {
                for x in (x0 as usize)..(((x0 + cell * ratio) as usize).min(w)) {
                    let i = (y * w + x) * 4;
                    pixels[i..i + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
                }
            }
        }
        if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(&pixels),
            w as u32,
            h as u32,
        ) {
            let _ = ctx.put_image_data(&image, 0.0, 0.0);
        }
    } else {
        for (position, (kg, size)) in range.iter().zip(maps).enumerate() {
            let (x, y) = (
                (position % columns) as f64 * cell,
                (position / columns) as f64 * cell,
            );
            let rgb = palette::heat_rgb(size, max_entries, dark);
            ctx.set_fill_style_str(&palette::heat(size, max_entries, dark));
            ctx.fill_rect(x, y, cell - gap, cell - gap);
            if pending(position) {
                ctx.set_fill_style_str("rgba(90, 110, 240, 0.35)");
                ctx.fill_rect(x, y, cell - gap, (cell - gap) / 3.0);
            }
            if moved_here[position] {
                ctx.set_stroke_style_str("#1e9e5a");
                ctx.set_line_width(2.0);
                ctx.stroke_rect(x + 1.0, y + 1.0, cell - gap - 2.0, cell - gap - 2.0);
            }
            if cell >= 22.0 {
                // Legible on every heat: dark text on pale cells, white on deep red (and on dark empty ones).
                ctx.set_fill_style_str(palette::text_on(rgb));
                ctx.set_font("9px ui-monospace, monospace");
                let _ = ctx.fill_text(&kg.to_string(), x + 2.0, y + 10.0);
                if size > 0 {
                    let _ = ctx.fill_text(&size.to_string(), x + 2.0, y + cell - 5.0);
                }
            }
        }
    }
    let mark = |kg: KeyGroup, color: &str, width: f64| {
        if let Some(position) = range.index_of(kg) {
            let (col, row) = (position % columns, position / columns);
            ctx.set_stroke_style_str(color);
            ctx.set_line_width(width);
            ctx.stroke_rect(
                col as f64 * cell + 0.5,
                row as f64 * cell + 0.5,
                cell - gap - 1.0,
                cell - gap - 1.0,
            );
        }
    };
    if let Some(kg) = followed_kg {
        mark(kg, &accent, 3.0);
    }
    if let Some(kg) = ui.selected_key_group {
        mark(kg, &fg, 2.0);
    }
    if let Some(kg) = hovered {
        mark(kg, &fg, 1.0);
    }
}
