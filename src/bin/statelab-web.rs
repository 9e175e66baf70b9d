//! The StateLab web app (built by Trunk for wasm32). On other targets it only explains how to serve it.

#[cfg(target_arch = "wasm32")]
fn main() {
    statelab::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("statelab-web is the browser app: serve it with tools/serve.sh (trunk serve), then open http://127.0.0.1:8080");
    std::process::exit(2);
}
