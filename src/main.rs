fn main() {
    std::process::exit(iamlint::cli::main());
}
