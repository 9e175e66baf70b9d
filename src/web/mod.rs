//! The Yew web app. It only renders what the engine reports and sends it commands; all modelling lives in
//! [`crate::engine`].

mod app;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
