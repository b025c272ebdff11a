fn main() {
    entra_setup_assistant::start();
}
