//! The dialog a checkpoint link opens in (the page's own link, one put in the address bar, pasted or typed):
//! what the link holds — the job that took it, its layout, keys, checkpoint id and size — and what to do with
//! it: restore it now (replacing the running job; it is stored too), keep it in the stored checkpoints only,
//! or cancel, which leaves the running job and the storage as they were. A link that cannot be opened says
//! why here. Modal: focus moves into it (on the default, so Enter takes it), Tab stays in it, Esc and a click
//! outside cancel, and no key reaches the page's shortcuts while it is open. Drawn by the checkpoint agent (see
//! `checkpoint_transfer`), which opens the links: a hook and a view, kept small (each component, listener and
//! DOM query costs the page's download).

use crate::i18n::messages::storage as msg;
use crate::player::checkpoint_library::{LibraryAction, LinkOffer};
use crate::web::checkpoint_library::{self as library, Library, LinkChoice};
use crate::web::components::stored_checkpoints::job_summary;
use crate::web::context::{Sim, Ui};
use crate::web::format;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The dialog's first button (the default) and its last: focus goes to the first when it opens, and Tab goes
/// round between them.
#[derive(Clone, Default)]
pub struct Ends {
    first: NodeRef,
    last: NodeRef,
}

fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Moves focus into the dialog when it opens.
#[hook]
pub fn use_link_dialog(library: &Library, ends: &Ends) {
    let first = ends.first.clone();
    use_effect_with(library.offer.is_some(), move |&open| {
        if open {
            focus(&first);
        }
    });
}

/// The dialog for the link being opened, if any.
pub fn link_dialog(sim: &Sim, library: &Library, ui: &Ui, ends: &Ends) -> Html {
    let l = ui.lang;
    let Some(offer) = &library.offer else {
        return html! {};
    };
    let on_cancel = {
        let library = library.clone();
        Callback::from(move |_: MouseEvent| library.dispatch(LibraryAction::Offer(None)))
    };
    let body = match offer {
        LinkOffer::Checked { blob, checkpoint } => {
            let choose = |choice: LinkChoice| {
                let (blob, checkpoint) = (blob.clone(), checkpoint.clone());
                let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
                Callback::from(move |_: MouseEvent| {
                    library::accept_link(
                        blob.clone(),
                        checkpoint.clone(),
                        choice,
                        sim.clone(),
                        library.clone(),
                        ui.clone(),
                    )
                })
            };
            let c = checkpoint.as_ref();
            let facts = [
                (
                    &msg::LINK_JOB,
                    "link-job",
                    c.job
                        .as_ref()
                        .map(|job| job_summary(job, l))
                        .unwrap_or_default(),
                ),
                (
                    &msg::LINK_CHECKPOINT,
                    "link-checkpoint",
                    c.checkpoint_id.to_string(),
                ),
                (
                    &msg::LINK_LAYOUT,
                    "link-layout",
                    msg::link_layout(l, c.parallelism, c.max_parallelism),
                ),
                (&msg::LINK_KEYS, "link-keys", format::count(c.entries)),
                (&msg::LINK_SIZE, "link-size", format::bytes(c.blob_bytes)),
            ];
            html! {
                <>
                    <h2 id="link-dialog-title">{l.t(&msg::LINK_DIALOG_TITLE)}</h2>
                    <dl class="link-facts">
                        { for facts.into_iter().map(|(label, testid, value)| html! {
                            <><dt>{l.t(label)}</dt><dd data-testid={testid}>{value}</dd></>
                        }) }
                    </dl>
                    <p id="link-dialog-note" class="hint">{l.t(&msg::LINK_DIALOG_NOTE)}</p>
                    <div class="dialog-actions">
                        <button class="primary" ref={ends.first.clone()} data-testid="link-restore" onclick={choose(LinkChoice::Restore)}>
                            {l.t(&msg::RESTORE_NOW)}<span class="button-note">{l.t(&msg::RESTORE_NOW_NOTE)}</span>
                        </button>
                        <button data-testid="link-keep" disabled={library.storage().is_none()}
                            onclick={choose(LinkChoice::Keep)}>{l.t(&msg::KEEP_ONLY)}</button>
                        <button class="ghost" ref={ends.last.clone()} data-testid="link-cancel" onclick={on_cancel.clone()}>{l.t(&msg::CANCEL)}</button>
                    </div>
                </>
            }
        }
        LinkOffer::Failed(error) => {
            html! {
                <>
                    <h2 id="link-dialog-title">{l.t(&msg::LINK_REFUSED_TITLE)}</h2>
                    <p id="link-dialog-note" class="dialog-error" role="alert" data-testid="link-error">{error.message(l)}</p>
                    <p class="hint">{l.t(&msg::LINK_REFUSED_NOTE)}</p>
                    <div class="dialog-actions">
                        <button class="primary" ref={ends.first.clone()} data-testid="link-close" onclick={on_cancel.clone()}>{l.t(&msg::CLOSE)}</button>
                    </div>
                </>
            }
        }
    };
    // Escape cancels; no key reaches the page's shortcuts (Enter and Space press the focused button).
    let on_key = {
        let library = library.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() == "Escape" {
                library.dispatch(LibraryAction::Offer(None));
            }
        })
    };
    // Tab goes round: focusable ends before and after the dialog pass focus on to its other end.
    let round = |to: NodeRef, or: NodeRef| {
        Callback::from(move |_: FocusEvent| focus(if to.get().is_some() { &to } else { &or }))
    };
    html! {
        <div class="overlay" data-testid="link-overlay" onclick={on_cancel} onkeydown={on_key}>
            <span tabindex="0" onfocus={round(ends.last.clone(), ends.first.clone())}></span>
            <div class="dialog link-dialog" role="dialog" aria-modal="true" data-testid="link-dialog"
                aria-labelledby="link-dialog-title" aria-describedby="link-dialog-note"
                onclick={|e: MouseEvent| e.stop_propagation()}>
                {body}
            </div>
            <span tabindex="0" onfocus={round(ends.first.clone(), ends.first.clone())}></span>
        </div>
    }
}
