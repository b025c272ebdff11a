fn main() {
    entra_setup_assistant::start(entra_setup_assistant::App);
}
