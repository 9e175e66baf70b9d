//! One key group's `CopyOnWriteStateMap`, opened up: its fields, the bucket array (both tables during an
//! incremental rehash, with the rehash index), and the chains of entries with every field Flink's
//! `StateMapEntry` has. Entries that are copies made by copy-on-write while a snapshot is live are marked.

use crate::engine::cluster::engine_event::EngineEvent;
use crate::engine::cluster::job_config::parse_key;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::assign_to_key_group;
use crate::engine::state::heap::copy_on_write_state_map::RehashStep;
use crate::engine::state::heap::state_map::EntryView;
use crate::engine::state::heap::state_map_entry::TableKind;
use crate::i18n::messages::{event_log, keygroup_map as msg};
use crate::player::format;
use crate::web::canvas::{is_dark, prepare, theme_color, width_of};
use crate::web::components::term::Term;
use crate::web::context::{use_sim, use_ui};
use crate::web::context::{Sim, Ui, UiAction};
use crate::web::markup::classes;
use crate::web::palette;
use web_sys::MouseEvent;
use yew::prelude::*;

/// Buckets shown in detail around the focused one.
const DETAIL_BUCKETS: usize = 12;

/// The key group to show: the selected one, else the followed key's, else the last record's.
pub fn shown_key_group(
    c: &MiniCluster,
    selected: Option<KeyGroup>,
    followed: Option<&String>,
    last: Option<&EngineEvent>,
) -> Option<KeyGroup> {
    selected
        .filter(|&kg| u32::from(kg) < c.max_parallelism())
        .or_else(|| {
            let key = parse_key(followed?, c.config().source.key_format.key_type)?;
            Some(assign_to_key_group(&key, c.max_parallelism() as i32))
        })
        .or(match last {
            Some(EngineEvent::RecordProcessed { key_group, .. }) => Some(*key_group),
            _ => None,
        })
}

#[function_component(KeyGroupMap)]
pub fn key_group_map() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let focus = use_state(|| None::<(KeyGroup, TableKind, usize)>);
    let old_canvas = use_node_ref();
    let new_canvas = use_node_ref();
    let container = use_node_ref();
    let l = ui.lang;

    let s = sim.borrow();
    let c = s.shown();
    let last = s.last_record().map(|l| &l.event);
    let Some(kg) = shown_key_group(c, ui.selected_key_group, ui.followed_key.as_ref(), last) else {
        return html! {
            <section class="panel map" data-testid="keygroup-map">
                <div class="panel-head"><h2>{l.t(&msg::TITLE)}</h2></div>
                <p class="empty">{l.t(&msg::EMPTY)}</p>
            </section>
        };
    };
    let Some(map) = c.key_group_state_map(kg) else {
        return html! {};
    };
    let subtask = c.owner_of_key_group(kg);

    // What to show in detail: a clicked bucket, else the last access in this key group, else the followed key.
    let followed = ui
        .followed_key
        .as_ref()
        .and_then(|t| parse_key(t, c.config().source.key_format.key_type));
    let followed_id = followed.as_ref().and_then(|k| c.keys().find(k));
    let last_access = match last {
        Some(EngineEvent::RecordProcessed {
            key_group,
            write,
            read,
            key,
            ..
        }) if *key_group == kg => Some((*write, *read, *key)),
        _ => None,
    };
    let (table, bucket) = match *focus {
        Some((fkg, table, bucket)) if fkg == kg && bucket < map.table_capacity(table) => {
            (table, bucket)
        }
        _ => {
            let key_hash = last_access
                .map(|(_, _, key)| c.keys().info(key).hash_code)
                .or_else(|| {
                    followed
                        .as_ref()
                        .filter(|k| assign_to_key_group(k, c.max_parallelism() as i32) == kg)
                        .map(|k| k.hash_code())
                });
            match key_hash {
                Some(hash) => {
                    let (table, bucket) = map.locate(hash);
                    (table, bucket as usize)
                }
                None => (
                    TableKind::Primary,
                    map.first_occupied_bucket(TableKind::Primary).unwrap_or(0),
                ),
            }
        }
    };

    let versions: Vec<String> = map
        .snapshot_versions()
        .iter()
        .map(|v| v.to_string())
        .collect();
    let heap = map.heap();
    let stats = map.stats();
    let facts = html! {
        <dl class="facts">
            <dt>{l.t(&msg::KEY_GROUP)}</dt><dd data-testid="map-key-group">{kg.to_string()}</dd>
            <dt>{l.t(&msg::SUBTASK)}</dt><dd>{subtask.to_string()}</dd>
            <dt translate="no">{l.t(&msg::SIZE)}</dt><dd data-testid="map-size">{map.size()}</dd>
            <dt translate="no">{l.t(&msg::THRESHOLD)}</dt><dd>{ if map.is_rehashing() {
                msg::threshold_rehashing(l, map.threshold())
            } else {
                msg::threshold(l, map.threshold(), map.size())
            } }</dd>
            <dt translate="no">{l.t(&msg::PRIMARY_LENGTH)}</dt><dd data-testid="map-capacity">{map.capacity()}</dd>
            <dt translate="no">{l.t(&msg::REHASH_TABLE)}</dt>
            <dd translate="no">{ if map.is_rehashing() { format!("{} (rehashIndex {})", map.rehash_capacity(), map.rehash_index()) } else { l.t(&msg::EMPTY_TABLE).into() } }</dd>
            <dt translate="no">{l.t(&msg::STATE_MAP_VERSION)}</dt><dd>{map.state_map_version()}</dd>
            <dt translate="no">{l.t(&msg::HIGHEST_VERSION)}</dt><dd>{map.highest_required_snapshot_version()}</dd>
            <dt translate="no">{l.t(&msg::SNAPSHOT_VERSIONS)}</dt><dd>{format!("{{{}}}", versions.join(", "))}</dd>
            <dt>{l.t(&msg::KEPT)}</dt><dd>{msg::kept(l, map.retained_entries(), &format::bytes(heap.retained_by_snapshots))}</dd>
            <dt>{l.t(&msg::RESIZES)}</dt><dd>{format!("{} / {}", stats.resizes, stats.rehash_steps)}</dd>
            <dt>{l.t(&msg::COPIES)}</dt><dd data-testid="map-copies">{stats.entry_copies}</dd>
            <dt>{l.t(&msg::HEAP)}</dt><dd>{format::bytes(heap.total())}</dd>
        </dl>
    };

    // The last access, in words.
    let access_note = last_access.map(|(write, read, key)| {
        let name = c.keys().display(key);
        let mut access = msg::last_access(l, &name, table_name(write.table), write.bucket);
        if write.inserted {
            access.push_str(l.t(&msg::NEW_ENTRY));
        }
        let mut parts = vec![access];
        if let Some(r) = write.resize {
            parts.push(msg::put_resized(l, r.from_capacity, r.to_capacity));
        }
        for step in [read.rehash, write.rehash].into_iter().flatten() {
            let mut moved = msg::rehash_moved(
                l,
                step.from_bucket,
                step.to_bucket.saturating_sub(1),
                step.entries_moved,
            );
            if step.completed {
                moved.push_str(l.t(&msg::REHASH_COMPLETE));
            }
            parts.push(moved);
        }
        if read.entry_copies + write.entry_copies > 0 {
            parts.push(event_log::copied_on_write(
                l,
                read.entry_copies + write.entry_copies,
            ));
        }
        parts.join(" · ")
    });

    // Detailed chains around the focused bucket.
    let len = map.table_capacity(table);
    let start = bucket
        .saturating_sub(DETAIL_BUCKETS / 2)
        .min(len.saturating_sub(DETAIL_BUCKETS));
    let rows = (start..(start + DETAIL_BUCKETS).min(len)).map(|b| {
        let chain = map.bucket_entries(table, b);
        let below_rehash = table == TableKind::Primary && (b as u32) < map.rehash_index();
        html! {
            <div class={if b == bucket { "bucket-row focused" } else { "bucket-row" }}>
                <span class="bucket-index">{format!("[{b}]")}</span>
                if chain.is_empty() {
                    <span class="null">{ l.t(if below_rehash { &msg::NULL_MOVED } else { &msg::NULL }) }</span>
                }
                { for chain.iter().enumerate().map(|(position, e)| entry_card(&ui, c, e, position, followed_id)) }
            </div>
        }
    });

    {
        let (sim, old_canvas, new_canvas, container) = (
            sim.clone(),
            old_canvas.clone(),
            new_canvas.clone(),
            container.clone(),
        );
        let moved = last_access.and_then(|(write, read, _)| write.rehash.or(read.rehash));
        use_effect_with((sim.version, kg, table, bucket, ui.theme), move |_| {
            draw_tables(
                &sim,
                kg,
                &old_canvas,
                &new_canvas,
                &container,
                (table, bucket),
                moved,
            );
        });
    }
    let on_canvas = |kind: TableKind, node: NodeRef| {
        let focus = focus.clone();
        let container = container.clone();
        let capacity = map.table_capacity(kind);
        Callback::from(move |e: MouseEvent| {
            let Some(el) = node.cast::<web_sys::Element>() else {
                return;
            };
            let Some(width) = width_of(&container) else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let (columns, cell) = grid(capacity, width);
            let col = ((f64::from(e.client_x()) - rect.left()) / cell).floor() as usize;
            let row = ((f64::from(e.client_y()) - rect.top()) / cell).floor() as usize;
            let b = row * columns + col;
            if col < columns && b < capacity {
                focus.set(Some((kg, kind, b)));
            }
        })
    };
    let close = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::SelectKeyGroup(None)))
    };
    let rehashing = map.is_rehashing();
    let primary_label =
        msg::primary_label(l, map.capacity(), rehashing.then(|| map.rehash_index()));
    let out = html! {
        <section class="panel map" data-testid="keygroup-map" aria-label={msg::map_label(l, kg)}>
            <div class="panel-head">
                <h2><Term id="copy-on-write-state-map">{msg::map_title(l, kg)}</Term></h2>
                <span class="hint">{l.t(&msg::HINT)}</span>
                if ui.selected_key_group.is_some() { <button class="ghost small" onclick={close}>{"✕"}</button> }
            </div>
            <div class="map-body">
                { facts }
                <div class="tables" ref={container.clone()}>
                    <div class="table-label">{primary_label}</div>
                    <canvas ref={old_canvas.clone()} onclick={on_canvas(TableKind::Primary, old_canvas.clone())} />
                    if rehashing {
                        <div class="table-label">{msg::rehash_label(l, map.rehash_capacity())}</div>
                        <canvas ref={new_canvas.clone()} onclick={on_canvas(TableKind::IncrementalRehash, new_canvas.clone())} />
                    }
                    <div class="legend small">
                        <span class="legend-item"><span class="swatch chain1"></span>{l.t(&msg::ONE_ENTRY)}</span>
                        <span class="legend-item"><span class="swatch chain2"></span>{l.t(&msg::TWO)}</span>
                        <span class="legend-item"><span class="swatch chain3"></span>{l.t(&msg::THREE_PLUS)}</span>
                        <span class="legend-item"><span class="swatch copied"></span>{l.t(&msg::HOLDS_COPY)}</span>
                        <span class="hint">{l.t(&msg::CLICK_BUCKET)}</span>
                    </div>
                </div>
            </div>
            if let Some(note) = access_note { <p class="access-note" data-testid="last-access">{note}</p> }
            <div class="chains" data-testid="chains">
                <div class="chains-title">{msg::chains_title(l, table_name(table), start, (start + DETAIL_BUCKETS).min(len).saturating_sub(1))}</div>
                { for rows }
            </div>
        </section>
    };
    drop(s);
    out
}

fn table_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Primary => "primaryTable",
        TableKind::IncrementalRehash => "incrementalRehashTable",
    }
}

fn entry_card(
    ui: &Ui,
    c: &MiniCluster,
    e: &EntryView,
    position: usize,
    followed: Option<crate::engine::keys::key_registry::KeyId>,
) -> Html {
    let l = ui.lang;
    let key = c.keys().display(e.key);
    let kg = c.key_group_of(e.key);
    let copied = e.copied;
    let state = e.state.to_string();
    // As a card has room for: a long list or map keeps its beginning and end.
    let short = e.state.abbreviated(40);
    let follow = {
        let (ui, key) = (ui.clone(), key.clone());
        Callback::from(move |_: MouseEvent| ui.dispatch(UiAction::Follow(Some(key.clone()))))
    };
    html! {
        <>
            if position > 0 { <span class="arrow" aria-hidden="true">{"→"}</span> }
            <div class={classes(&[("entry", true), ("copied", copied), ("followed", Some(e.key) == followed)])} onclick={follow} translate="no"
                title={format!("StateMapEntry{{key={key}, namespace=VoidNamespace, state={}, entryVersion={}, stateVersion={}, hash={}}}",
                    state, e.entry_version, e.state_version, e.hash)}
                style={format!("border-left-color: {}", palette::key_group(kg))}>
                <div class="entry-key">{key}</div>
                <div class="entry-state">{format!("state = {short}")}</div>
                <div class="entry-meta">{format!("v{}/{} · {}", e.entry_version, e.state_version, e.hash)}</div>
                if copied { <div class="entry-badge" translate="yes">{l.t(&msg::COPY)}</div> }
            </div>
        </>
    }
}

/// Bucket-grid geometry for a table of `capacity` slots in `width` pixels.
fn grid(capacity: usize, width: f64) -> (usize, f64) {
    let width = width.max(120.0);
    let mut cell = 14.0f64;
    loop {
        let columns = ((width / cell).floor() as usize).max(1);
        if capacity.div_ceil(columns) as f64 * cell <= 130.0 || cell <= 2.0 {
            return (columns, cell);
        }
        cell -= 1.0;
    }
}

fn draw_tables(
    sim: &Sim,
    kg: KeyGroup,
    old: &NodeRef,
    new: &NodeRef,
    container: &NodeRef,
    focus: (TableKind, usize),
    moved: Option<RehashStep>,
) {
    let s = sim.borrow();
    let Some(map) = s.shown().key_group_state_map(kg) else {
        return;
    };
    let Some(width) = width_of(container) else {
        return;
    };
    let dark = is_dark();
    let empty = if dark { "#2a2e36" } else { "#e8ebef" };
    let fg = theme_color("--fg");
    let accent = theme_color("--accent");
    for (kind, node) in [
        (TableKind::Primary, old),
        (TableKind::IncrementalRehash, new),
    ] {
        let capacity = map.table_capacity(kind);
        if capacity == 0 {
            continue;
        }
        let (columns, cell) = grid(capacity, width);
        let rows = capacity.div_ceil(columns);
        let Some(ctx) = prepare(node, columns as f64 * cell, rows as f64 * cell) else {
            continue;
        };
        let gap = if cell >= 5.0 { 1.0 } else { 0.0 };
        for b in 0..capacity {
            let (x, y) = ((b % columns) as f64 * cell, (b / columns) as f64 * cell);
            let (length, copied) = map.bucket_shape(kind, b);
            let color = match length {
                0 => empty,
                1 => "#7fb3e6",
                2 => "#3d7fc4",
                _ => "#1d4f8c",
            };
            ctx.set_fill_style_str(color);
            ctx.fill_rect(x, y, cell - gap, cell - gap);
            if copied {
                ctx.set_fill_style_str("#e6527a");
                ctx.fill_rect(x, y + (cell - gap) * 0.6, cell - gap, (cell - gap) * 0.4);
            }
        }
        if kind == TableKind::Primary && map.is_rehashing() {
            // Everything before the rehash index has moved to the new table.
            let r = map.rehash_index() as usize;
            ctx.set_fill_style_str(if dark {
                "rgba(0,0,0,0.45)"
            } else {
                "rgba(255,255,255,0.65)"
            });
            for b in 0..r {
                let (x, y) = ((b % columns) as f64 * cell, (b / columns) as f64 * cell);
                ctx.fill_rect(x, y, cell, cell);
            }
            if r < capacity {
                let (x, y) = ((r % columns) as f64 * cell, (r / columns) as f64 * cell);
                ctx.set_stroke_style_str(&accent);
                ctx.set_line_width(2.0);
                ctx.begin_path();
                ctx.move_to(x, y);
                ctx.line_to(x, y + cell);
                ctx.stroke();
            }
        }
        // The buckets the last incremental-rehash step moved out of the old table.
        if let (TableKind::Primary, Some(step)) =
            (kind, moved.filter(|s| !s.completed && map.is_rehashing()))
        {
            ctx.set_stroke_style_str(&accent);
            ctx.set_line_width(1.0);
            for b in (step.from_bucket as usize)..(step.to_bucket as usize).min(capacity) {
                ctx.stroke_rect(
                    (b % columns) as f64 * cell + 0.5,
                    (b / columns) as f64 * cell + 0.5,
                    cell - gap - 1.0,
                    cell - gap - 1.0,
                );
            }
        }
        if focus.0 == kind && focus.1 < capacity {
            let b = focus.1;
            ctx.set_stroke_style_str(&fg);
            ctx.set_line_width(1.5);
            ctx.stroke_rect(
                (b % columns) as f64 * cell + 0.5,
                (b / columns) as f64 * cell + 0.5,
                cell - gap - 1.0,
                cell - gap - 1.0,
            );
        }
    }
}
