//! The top bar: playback (play/pause, step one event, speed, reset), the job's status and clock, the commands
//! that act on the running job (checkpoint, failure, a key typed by hand), and the page's own buttons.

use crate::engine::cluster::job_status::JobStatus;
use crate::i18n::messages::{common, controls as msg, errors};
use crate::i18n::Lang;
use crate::player::format;
use crate::player::page_error::PageError;
use crate::player::simulation::{Simulation, SimulationAction};
use crate::player::speeds::MAX_SPEED;
use crate::web::context::{use_sim, use_ui, Ui, UiAction};
use crate::web::simulation::speed_label;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Shows what went wrong with a command, or clears what was shown.
fn report<T>(ui: &Ui, result: Result<T, PageError>) {
    ui.dispatch(UiAction::Error(result.err()))
}

#[function_component(TopBar)]
pub fn top_bar() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let key_text = use_state(String::new);
    let l = ui.lang;
    use_effect_with(l, |l| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(l.t(&msg::DOCUMENT_TITLE));
        }
    });

    let s = sim.borrow();
    let c = s.shown();
    let status = c.status();
    let counters = *c.counters();
    let restart_in = c.restart_at().map(|t| t.saturating_sub(s.display_time()));
    let playing = s.playing();
    let speed = s.speed();
    let behind = s.behind();
    let display_time = s.display_time();
    let attempt = c.attempt();
    drop(s);

    let on_play = {
        let sim = sim.clone();
        Callback::from(move |_| drop(sim.dispatch(SimulationAction::TogglePlay)))
    };
    let on_step = {
        let sim = sim.clone();
        Callback::from(move |_| drop(sim.dispatch(SimulationAction::StepRecord)))
    };
    let on_speed = {
        let sim = sim.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<usize>()
            {
                drop(sim.dispatch(SimulationAction::SetSpeed(v)));
            }
        })
    };
    let on_reset = {
        let (sim, ui) = (sim.clone(), ui.clone());
        Callback::from(move |_| {
            let config = sim.borrow().config().clone();
            let result = sim.start(|job| Simulation::new(config, job));
            report(&ui, result.map_err(Into::into));
        })
    };
    let on_checkpoint = {
        let (sim, ui) = (sim.clone(), ui.clone());
        Callback::from(move |_| report(&ui, sim.dispatch(SimulationAction::TriggerCheckpoint)))
    };
    let on_fail = {
        let (sim, ui) = (sim.clone(), ui.clone());
        Callback::from(move |_| report(&ui, sim.dispatch(SimulationAction::FailNow)))
    };
    let on_key_input = {
        let key_text = key_text.clone();
        Callback::from(move |e: InputEvent| {
            key_text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_send = {
        let (sim, ui, key_text) = (sim.clone(), ui.clone(), key_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = (*key_text).clone();
            let result = sim.dispatch(SimulationAction::SendKey(&text));
            if result.is_ok() {
                ui.dispatch(UiAction::Follow(Some(text)));
            }
            report(&ui, result);
        })
    };
    let toggle = |action: fn() -> UiAction| {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(action()))
    };

    let status_name = errors::job_status(status);
    let (status_class, status_text) = match status {
        JobStatus::Running => ("ok", status_name.to_owned()),
        JobStatus::Restarting => (
            "warn",
            match restart_in {
                Some(t) => msg::restarting_in(l, status_name, &format::duration(t)),
                None => status_name.to_owned(),
            },
        ),
        JobStatus::Finished => ("muted", status_name.to_owned()),
        JobStatus::Failed => ("bad", status_name.to_owned()),
    };

    // A job that ended plays no more: the button offers Play (to replay from the past), never Pause.
    let playing = playing && matches!(status, JobStatus::Running | JobStatus::Restarting);

    // Two rows of fixed-width groups (one on wide screens): what the job's status says never moves a button.
    html! {
        <header class="topbar">
          <div class="row primary">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"◆"}</span>
                <div>
                    <div class="title">{l.t(&common::APP_NAME)}</div>
                    <div class="tagline">{l.t(&msg::TAGLINE)}</div>
                </div>
            </div>
            <div class="group transport" role="group" aria-label={l.t(&msg::PLAYBACK)}>
                <button data-testid="play" class={if playing { "primary active" } else { "primary" }} onclick={on_play}
                    title={l.t(&msg::PLAY_TITLE)} aria-pressed={playing.to_string()}>
                    { l.t(if playing { &msg::PAUSE } else { &msg::PLAY }) }
                </button>
                <button data-testid="step" onclick={on_step} title={l.t(&msg::STEP_TITLE)}>{l.t(&msg::STEP)}</button>
                <label class="speed" title={l.t(&msg::SPEED_TITLE)}>
                    <span class="label">{l.t(&msg::SPEED)}</span>
                    <input data-testid="speed" type="range" min="0" max={MAX_SPEED.to_string()}
                        value={speed.to_string()} oninput={on_speed} aria-label={l.t(&msg::SPEED_LABEL)} />
                    <span class={if behind { "speed-value behind" } else { "speed-value" }}
                        title={ if behind { l.t(&msg::BEHIND) } else { "" } }>
                        {speed_label(speed, l)}
                    </span>
                </label>
                <button data-testid="reset" onclick={on_reset} title={l.t(&msg::RESET_TITLE)}>{l.t(&msg::RESET)}</button>
            </div>
            <div class="group actions">
                <button data-testid="checkpoint-trigger" onclick={on_checkpoint} title={l.t(&msg::CHECKPOINT_TITLE)}>{l.t(&msg::CHECKPOINT)}</button>
                <button data-testid="fail" class="danger" onclick={on_fail} title={l.t(&msg::FAIL_TITLE)}>{l.t(&msg::FAIL)}</button>
                <form class="send" onsubmit={on_send}>
                    <input data-testid="send-key" placeholder={l.t(&msg::SEND_PLACEHOLDER)} value={(*key_text).clone()}
                        oninput={on_key_input} aria-label={l.t(&msg::SEND_LABEL)} />
                    <button type="submit">{l.t(&msg::SEND)}</button>
                </form>
            </div>
          </div>
          <div class="row secondary">
            <div class="group status" aria-live="polite">
                <span class={format!("badge {status_class}")} data-testid="job-status">{status_text}</span>
                <span class="stat time"><span class="label">{l.t(&msg::TIME)}</span>{format::time(display_time)}</span>
                <span class="stat events"><span class="label">{l.t(&msg::EVENTS)}</span>
                    <span data-testid="event-count">{format::count(counters.records_processed)}</span></span>
                <span class="stat"><span class="label">{l.t(&msg::ATTEMPT)}</span>{attempt}</span>
            </div>
            <div class="group page">
                <button data-testid="settings-toggle" onclick={toggle(|| UiAction::ToggleSettings)} title={l.t(&msg::SETTINGS_TITLE)}>{l.t(&msg::SETTINGS)}</button>
                <LanguageSwitch />
                <button class="ghost" onclick={toggle(|| UiAction::ToggleTheme)} title={l.t(&msg::THEME_TITLE)} aria-label={l.t(&msg::THEME_LABEL)}>
                    { if ui.theme == crate::web::context::Theme::Dark { "☀" } else { "☾" } }
                </button>
                <button class="ghost" data-testid="help-toggle" onclick={toggle(|| UiAction::ToggleHelp)} title={l.t(&msg::HELP_TITLE)} aria-label={l.t(&msg::HELP_LABEL)}>{"?"}</button>
            </div>
          </div>
        </header>
    }
}

/// English / 中文: both names shown, the current one marked. Marked `translate="no"`: it is the one place each
/// language names itself on the other's page.
#[function_component(LanguageSwitch)]
fn language_switch() -> Html {
    let ui = use_ui();
    let l = ui.lang;
    html! {
        <div class="lang-switch" role="group" aria-label={l.t(&msg::LANGUAGE_SWITCH_TITLE)} translate="no"
            data-testid="lang-switch" title={l.t(&msg::LANGUAGE_SWITCH_TITLE)}>
            { for Lang::ALL.iter().map(|&lang| {
                let ui = ui.clone();
                html! {
                    <button class={if lang == l { "ghost current" } else { "ghost" }}
                        data-testid={format!("lang-{}", lang.code())} lang={lang.code()}
                        aria-pressed={(lang == l).to_string()}
                        onclick={Callback::from(move |_| crate::web::language::switch(&ui, lang))}>
                        {lang.native_name()}
                    </button>
                }
            }) }
        </div>
    }
}
