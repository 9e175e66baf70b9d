//! Words many views share.

messages! {
    APP_NAME = "StateLab", "StateLab";
    CLOSE = "close", "关闭";
    DISMISS = "dismiss", "关闭";
    LANGUAGE = "Language", "语言";
}
